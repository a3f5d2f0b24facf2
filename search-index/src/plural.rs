//! French plurals the stemmer leaves alone ("emplois", "chevaux"): a final `s` or `x` is
//! dropped from words of more than three letters, so the plural meets its singular.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

#[derive(Clone, Copy, Debug, Default)]
pub struct PluralFilter;

impl TokenFilter for PluralFilter {
    type Tokenizer<T: Tokenizer> = PluralTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> PluralTokenizer<T> {
        PluralTokenizer(tokenizer)
    }
}

#[derive(Clone)]
pub struct PluralTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for PluralTokenizer<T> {
    type TokenStream<'a> = PluralStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        PluralStream(self.0.token_stream(text))
    }
}

pub struct PluralStream<S>(S);

impl<S: TokenStream> TokenStream for PluralStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let text = &mut self.0.token_mut().text;
        let plural =
            text.len() > 3 && (text.ends_with('s') || text.ends_with('x')) && !text.ends_with("ss");
        if plural {
            text.pop();
        }
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}
