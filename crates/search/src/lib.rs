//! Chinese full-text search over a region's resolved guides: tantivy with jieba word
//! segmentation, plus the catalog's synonym table for everyday words and abbreviations
//! (社保卡 → 社会保障卡) and colloquial questions ("失业了怎么领钱").
//!
//! The query is never fed to a query-language parser: it is segmented with the same
//! tokenizer as the index and turned into weighted term queries, so no user input is a
//! syntax error.

mod relevance;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{Index, IndexReader, TantivyDocument, Term};
use yichuang_domain::catalog::Guide;

pub use relevance::{RelevanceCase, RelevanceReport, relevance_cases};

const TOKENIZER: &str = "jieba";
/// How much a word's other fields add to its best one.
const TIE_BREAKER: f32 = 0.2;
/// How many candidates are re-ranked by word coverage.
const RERANK_POOL: usize = 20;

/// Words that carry no meaning for finding an item.
const STOP_WORDS: &[&str] = &[
    "怎么",
    "怎样",
    "如何",
    "了",
    "的",
    "吗",
    "呢",
    "吧",
    "啊",
    "我",
    "我的",
    "你",
    "在",
    "哪里",
    "哪儿",
    "去",
    "要",
    "想",
    "能",
    "能不能",
    "可以",
    "什么",
    "是",
    "有",
    "没有",
    "和",
    "跟",
    "给",
    "该",
    "应该",
    "需要",
    "办",
    "办理",
    "一下",
];

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

/// One result: the item and how well it matched.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Hit {
    pub item: String,
    pub name: String,
    pub score: f32,
}

#[derive(Clone, Copy)]
struct Fields {
    item: Field,
    name: Field,
    keywords: Field,
    body: Field,
}

/// An in-memory index of one region's guides.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    analyzer: TextAnalyzer,
    /// (everyday word, catalog word), longest everyday word first.
    synonyms: Vec<(String, String)>,
    /// The words of each item's name and keywords, to favour items that match more of
    /// a question's words (BM25 alone lets one frequent word outweigh several).
    title_words: std::collections::HashMap<String, std::collections::HashSet<String>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("synonyms", &self.synonyms.len())
            .finish()
    }
}

impl SearchIndex {
    /// Indexes the guides (typically a region's resolved guides on a date).
    pub fn build<'a>(
        guides: impl IntoIterator<Item = &'a Guide>,
        synonyms: &[(String, String)],
    ) -> Result<SearchIndex, SearchError> {
        let mut schema = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let fields = Fields {
            item: schema.add_text_field("item", STRING | STORED),
            name: schema.add_text_field("name", text.clone() | STORED),
            keywords: schema.add_text_field("keywords", text.clone()),
            body: schema.add_text_field("body", text),
        };
        let index = Index::create_in_ram(schema.build());
        let analyzer = TextAnalyzer::from(tantivy_jieba::JiebaTokenizer::new());
        index.tokenizers().register(TOKENIZER, analyzer.clone());
        let mut writer = index.writer_with_num_threads(1, 15_000_000)?;
        let mut title_words = std::collections::HashMap::new();
        for guide in guides {
            let mut words = std::collections::HashSet::new();
            for text in std::iter::once(&guide.name).chain(&guide.keywords) {
                let mut analyzer = analyzer.clone();
                let mut stream = analyzer.token_stream(text);
                while let Some(token) = stream.next() {
                    words.insert(token.text.to_lowercase());
                }
            }
            title_words.insert(guide.item.clone(), words);
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.item, &guide.item);
            doc.add_text(fields.name, &guide.name);
            for keyword in &guide.keywords {
                doc.add_text(fields.keywords, keyword);
            }
            let body = [
                guide.summary.as_str(),
                guide.scope.as_str(),
                guide.result.as_deref().unwrap_or(""),
            ]
            .into_iter()
            .chain(guide.conditions.iter().map(String::as_str))
            .chain(guide.materials.iter().map(|m| m.name.as_str()))
            .collect::<Vec<_>>()
            .join("。");
            doc.add_text(fields.body, &body);
            writer.add_document(doc)?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        let mut synonyms = synonyms.to_vec();
        synonyms.sort_by_key(|(word, _)| std::cmp::Reverse(word.chars().count()));
        Ok(SearchIndex {
            reader,
            fields,
            analyzer,
            synonyms,
            title_words,
        })
    }

    /// The query with the catalog's words added for every everyday word it contains.
    pub fn expand(&self, query: &str) -> String {
        let mut expanded = query.to_owned();
        for (word, canonical) in &self.synonyms {
            if query.contains(word.as_str()) {
                expanded.push(' ');
                expanded.push_str(canonical);
            }
        }
        expanded
    }

    /// Segmented, de-duplicated query terms without stop words or punctuation.
    pub fn terms(&self, query: &str) -> Vec<String> {
        let mut analyzer = self.analyzer.clone();
        let mut stream = analyzer.token_stream(query);
        let mut terms: Vec<String> = Vec::new();
        while let Some(token) = stream.next() {
            let text = token.text.to_lowercase();
            let meaningful =
                text.chars().any(char::is_alphanumeric) && !STOP_WORDS.contains(&text.as_str());
            if meaningful && !terms.contains(&text) {
                terms.push(text);
            }
        }
        terms
    }

    /// The best `limit` items for a free-text query; empty when nothing matches.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
        let terms = self.terms(&self.expand(query));
        if terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let weighted = [
            (self.fields.name, 3.0),
            (self.fields.keywords, 2.5),
            (self.fields.body, 1.0),
        ];
        // Per word, the best of its fields (with a little of the others): an item
        // whose name, keywords and text all repeat one common word must not outrank
        // an item that carries the question's rarer, deciding word.
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|term| {
                let per_field: Vec<Box<dyn Query>> = weighted
                    .iter()
                    .map(|(field, boost)| {
                        let query = TermQuery::new(
                            Term::from_field_text(*field, term),
                            IndexRecordOption::WithFreqs,
                        );
                        Box::new(BoostQuery::new(Box::new(query), *boost)) as Box<dyn Query>
                    })
                    .collect();
                (
                    Occur::Should,
                    Box::new(DisjunctionMaxQuery::with_tie_breaker(
                        per_field,
                        TIE_BREAKER,
                    )) as Box<dyn Query>,
                )
            })
            .collect();
        let searcher = self.reader.searcher();
        // A wider pool than asked for, re-ranked by how many of the question's words
        // each item's name and keywords carry, then cut to `limit`.
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(limit.max(RERANK_POOL)).order_by_score(),
        )?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let item = text(self.fields.item);
            let covered = self.title_words.get(&item).map_or(0, |words| {
                terms.iter().filter(|t| words.contains(*t)).count()
            });
            let coverage = covered as f32 / terms.len() as f32;
            hits.push(Hit {
                name: text(self.fields.name),
                item,
                score: score * (1.0 + coverage).powi(2),
            });
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        hits.truncate(limit);
        Ok(hits)
    }
}
