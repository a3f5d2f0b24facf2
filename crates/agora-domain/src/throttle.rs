//! How sign-in failures slow down whoever makes them (OWASP ASVS 5.0 V6.3, NIST SP
//! 800-63B § 5.2.2): a few failures are free, then each one imposes a wait that doubles up
//! to a ceiling. There is no hard lockout: the wait never exceeds the ceiling, and the count
//! is forgotten after a quiet period, so an attacker can slow an account down but never
//! lock its owner out for good.

use serde::{Deserialize, Serialize};

/// One counter's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThrottleRule {
    /// Failures allowed before any wait.
    pub free_failures: u32,
    /// The wait after the first failure beyond them, in seconds; it doubles with each.
    pub first_delay_secs: u64,
    /// The longest wait, in seconds.
    pub max_delay_secs: u64,
}

impl ThrottleRule {
    /// The wait imposed after the `failures`-th failure in a row, if any.
    pub fn delay_after(&self, failures: u32) -> Option<u64> {
        let beyond = failures.checked_sub(self.free_failures)?.checked_sub(1)?;
        let doubled = self
            .first_delay_secs
            .max(1)
            .checked_shl(beyond.min(40))
            .unwrap_or(u64::MAX);
        Some(doubled.min(self.max_delay_secs.max(1)))
    }
}

/// The three counters of a sign-in, each with its rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SignInThrottle {
    /// One account from one address: someone guessing a password.
    pub per_account_and_address: ThrottleRule,
    /// One address, whatever the accounts: someone trying many accounts.
    pub per_address: ThrottleRule,
    /// One account, whatever the addresses: guessing spread over many addresses. Its
    /// ceiling is short, so that such an attack slows the owner down without locking
    /// them out.
    pub per_account: ThrottleRule,
    /// A counter with no failure for this long starts again from zero, in seconds.
    pub forget_after_secs: u64,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        Self {
            per_account_and_address: ThrottleRule {
                free_failures: 5,
                first_delay_secs: 2,
                max_delay_secs: 15 * 60,
            },
            per_address: ThrottleRule {
                free_failures: 20,
                first_delay_secs: 2,
                max_delay_secs: 15 * 60,
            },
            per_account: ThrottleRule {
                free_failures: 50,
                first_delay_secs: 1,
                max_delay_secs: 60,
            },
            forget_after_secs: 3600,
        }
    }
}

impl SignInThrottle {
    /// Checks the settings; the message names the setting.
    pub fn check(&self) -> Result<(), String> {
        for (name, rule) in [
            ("per_account_and_address", &self.per_account_and_address),
            ("per_address", &self.per_address),
            ("per_account", &self.per_account),
        ] {
            if rule.max_delay_secs < rule.first_delay_secs {
                return Err(format!(
                    "sign_in.{name}.max_delay_secs is below its first_delay_secs"
                ));
            }
        }
        if self.forget_after_secs == 0 {
            return Err("sign_in.forget_after_secs must be at least 1".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_failures_then_doubling_waits_up_to_the_ceiling() {
        let rule = ThrottleRule {
            free_failures: 5,
            first_delay_secs: 2,
            max_delay_secs: 60,
        };
        assert_eq!((1..=5).filter_map(|n| rule.delay_after(n)).count(), 0);
        assert_eq!(rule.delay_after(6), Some(2));
        assert_eq!(rule.delay_after(7), Some(4));
        assert_eq!(rule.delay_after(10), Some(32));
        assert_eq!(rule.delay_after(11), Some(60));
        assert_eq!(rule.delay_after(1000), Some(60));
        assert_eq!(rule.delay_after(u32::MAX), Some(60));
    }

    #[test]
    fn a_distributed_attack_never_locks_the_owner_out_for_long() {
        let p = SignInThrottle::default();
        assert!(p.check().is_ok());
        assert!(p.per_account.delay_after(u32::MAX) <= Some(60));
        assert_eq!(p.per_account.delay_after(50), None);
        assert!(p.per_account_and_address.delay_after(6).is_some());
    }

    #[test]
    fn settings_are_checked() {
        let mut p = SignInThrottle::default();
        p.per_address.max_delay_secs = 0;
        assert!(p.check().unwrap_err().contains("per_address"));
    }
}
