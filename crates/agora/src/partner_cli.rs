//! `agora partner …`: administrators manage partner keys from the command line. A new or
//! rotated key is printed once, on standard output; only its hash is stored.

use agora_service::Context;
use agora_service::partners::{self, NewPartner, PartnerView, Scope};
use anyhow::Context as _;
use clap::Subcommand;
use uuid::Uuid;

#[derive(Subcommand)]
pub enum PartnerCommand {
    /// Creates a partner and prints its key (once).
    Create {
        #[arg(long)]
        name: String,
        /// Where notices go (a webhook disabled after failures).
        #[arg(long)]
        contact_email: Option<String>,
        /// Requests per minute (default from configuration: partners.default_per_minute).
        #[arg(long)]
        quota_per_minute: Option<u32>,
        /// Requests per day (default: partners.default_per_day).
        #[arg(long)]
        quota_per_day: Option<u32>,
        /// What the key may do: read, changes, exports, webhooks (repeat or separate with
        /// commas); all of them by default.
        #[arg(long, value_delimiter = ',')]
        scope: Vec<String>,
    },
    /// Lists the partners, their key's first characters, scopes and quotas.
    List,
    /// Gives a partner a new key (printed once); the old one stops working at once.
    Rotate { id: Uuid },
    /// Revokes a partner's key for good and disables its webhooks.
    Revoke { id: Uuid },
}

fn print(p: &PartnerView) {
    let scopes: Vec<&str> = p.scopes.iter().map(|s| s.as_str()).collect();
    let state = if p.revoked_at.is_some() {
        "revoked"
    } else {
        "active"
    };
    println!(
        "{}  {:<8} {:<20} {}…  {}/min {}/day  [{}]",
        p.id,
        state,
        p.name,
        p.key_prefix,
        p.quota_per_minute,
        p.quota_per_day,
        scopes.join(",")
    );
}

pub async fn run(ctx: &Context, command: PartnerCommand) -> anyhow::Result<()> {
    match command {
        PartnerCommand::Create {
            name,
            contact_email,
            quota_per_minute,
            quota_per_day,
            scope,
        } => {
            let scopes = scope
                .iter()
                .map(|s| {
                    Scope::parse(s.trim()).with_context(|| {
                        format!("unknown scope `{s}`: read, changes, exports or webhooks")
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let (view, key) = partners::create(
                ctx,
                NewPartner {
                    name,
                    contact_email,
                    scopes,
                    quota_per_minute,
                    quota_per_day,
                },
            )
            .await
            .map_err(crate::explain)?;
            print(&view);
            eprintln!("The key, shown only now (send it as the X-API-Key header):");
            println!("{key}");
        }
        PartnerCommand::List => {
            for p in partners::list(ctx).await.map_err(crate::explain)? {
                print(&p);
            }
        }
        PartnerCommand::Rotate { id } => {
            let key = partners::rotate(ctx, id).await.map_err(crate::explain)?;
            eprintln!("The new key, shown only now; the old one no longer works:");
            println!("{key}");
        }
        PartnerCommand::Revoke { id } => {
            partners::revoke(ctx, id).await.map_err(crate::explain)?;
            println!("Revoked: {id}");
        }
    }
    Ok(())
}
