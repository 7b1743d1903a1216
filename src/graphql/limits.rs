//! What one GraphQL request may ask for, measured on the parsed document before validation,
//! so a refused request runs no resolver.
//!
//! - **Depth**: how deeply fields nest (fragments add none).
//! - **Cost**: an upper bound of the objects a request may produce. Every selected field costs
//!   1 (`__typename` included), plus a weight for fields that compute a whole report
//!   ([`WEIGHTS`]); the items under a connection's `nodes` or `edges` cost as many times over as
//!   the page size asked for (`first`, 20 when omitted), so nested connections multiply.
//! - **Fields** and **aliases**: how many the operation selects, with fragments expanded.
//!
//! Fragments are measured once per place kind and reused, so a document of fragments that
//! spread each other many times over is measured in time linear in its size; a cycle of
//! fragments (invalid anyway) is cut. Each refusal has its own error code and says the measured
//! value and the limit; the cost of every request that runs is reported in the response's
//! `extensions.cost`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::config::QueryLimits;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest,
};
use async_graphql::parser::types::{ExecutableDocument, Field, Selection, SelectionSet};
use async_graphql::registry::{MetaTypeName, Registry};
use async_graphql::{Name, Positioned, Response, ServerError, ServerResult, Value, Variables};

/// The nesting async-graphql checks before parsing ends (fields, fragment spreads and inline
/// fragments each count as a level): a few levels above the depth limit, at most 24.
pub fn recursion_limit(limits: &QueryLimits) -> usize {
    usize::try_from(limits.max_depth.saturating_add(5).min(24)).unwrap_or(24)
}

use crate::storage::page::{DEFAULT_PAGE_SIZE as DEFAULT_PAGE, MAX_PAGE_SIZE as MAX_PAGE};

/// Fields that compute a report over a whole organisation or register: what they cost beyond
/// the fields selected under them.
pub const WEIGHTS: &[(&str, &str, u64)] = &[
    ("Organisation", "controllerRecord", 1_000),
    ("Organisation", "processorRecord", 1_000),
    ("Organisation", "asOf", 500),
    ("Organisation", "changes", 1_000),
    ("Organisation", "compliance", 200),
    ("Register", "compliance", 100),
    ("Register", "noticeDraft", 100),
    ("Register", "noticeStatus", 200),
];

/// What a report field costs for each processing activity it reads, beyond its weight.
pub const PER_ACTIVITY: u64 = 10;

/// What the report fields of one request read, charged as they run: a record of a
/// 2,000-activity organisation reads a hundred times what one of 20 does, which no measure of
/// the document can know. The charges share the request's cost limit with its measure.
pub struct Charges {
    /// What the measure left of the limit.
    allowance: u64,
    used: std::sync::atomic::AtomicU64,
}

impl Charges {
    pub fn new(measured: &Measure, limits: &QueryLimits) -> Self {
        Self {
            allowance: limits.max_cost.saturating_sub(measured.cost),
            used: Default::default(),
        }
    }

    /// Charges `field` for reading `activities`, or refuses it (`QUERY_TOO_COSTLY`) when the
    /// request would pass its limit.
    pub fn charge(&self, field: &str, activities: u64) -> async_graphql::Result<()> {
        use std::sync::atomic::Ordering;
        let cost = activities.saturating_mul(PER_ACTIVITY);
        let before = self.used.fetch_add(cost, Ordering::AcqRel);
        let after = before.saturating_add(cost);
        if after <= self.allowance {
            return Ok(());
        }
        self.used.fetch_sub(cost, Ordering::AcqRel);
        let left = self.allowance.saturating_sub(before);
        let message = format!(
            "{field} reads {activities} processing activities, costing {cost} ({PER_ACTIVITY} each); the request has {left} of its cost limit left: ask for fewer registers (registerIds), or download the record from /exports"
        );
        use async_graphql::ErrorExtensions;
        Err(async_graphql::Error::new(message).extend_with(|_, e| {
            e.set("code", "QUERY_TOO_COSTLY");
            e.set("actual", cost);
            e.set("limit", left);
        }))
    }

    pub fn used(&self) -> u64 {
        self.used.load(std::sync::atomic::Ordering::Acquire)
    }
}

/// What a request asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measure {
    pub depth: u64,
    pub cost: u64,
    pub fields: u64,
    pub aliases: u64,
}

impl Measure {
    fn add(&mut self, other: Measure) {
        self.depth = self.depth.max(other.depth);
        self.cost = self.cost.saturating_add(other.cost);
        self.fields = self.fields.saturating_add(other.fields);
        self.aliases = self.aliases.saturating_add(other.aliases);
    }

    /// Reports the measure in the response's `extensions.cost`, with what report fields were
    /// charged (`read`).
    pub fn report(&self, response: &mut Response, limits: &QueryLimits, read: u64) {
        let mut cost = self.json(limits);
        if let Value::Object(fields) = &mut cost {
            fields.insert(Name::new("read"), Value::from(read));
        }
        response.extensions.insert("cost".to_owned(), cost);
    }

    fn json(&self, limits: &QueryLimits) -> Value {
        let mut cost = async_graphql::indexmap::IndexMap::new();
        cost.insert(Name::new("requested"), Value::from(self.cost));
        cost.insert(Name::new("limit"), Value::from(limits.max_cost));
        cost.insert(Name::new("depth"), Value::from(self.depth));
        cost.insert(Name::new("fields"), Value::from(self.fields));
        cost.insert(Name::new("aliases"), Value::from(self.aliases));
        Value::Object(cost)
    }
}

/// Measures the document's operations; the largest of each measure counts.
pub fn measure(
    registry: &Registry,
    document: &ExecutableDocument,
    variables: &Variables,
) -> Measure {
    let mut total = Measure::default();
    for (_, operation) in document.operations.iter() {
        let root = match operation.node.ty {
            async_graphql::parser::types::OperationType::Query => {
                Some(registry.query_type.as_str())
            }
            async_graphql::parser::types::OperationType::Mutation => {
                registry.mutation_type.as_deref()
            }
            async_graphql::parser::types::OperationType::Subscription => {
                registry.subscription_type.as_deref()
            }
        };
        let mut walker = Walker {
            registry,
            document,
            variables,
            operation_variables: &operation.node.variable_definitions,
            fragments: HashMap::new(),
            visiting: Vec::new(),
        };
        let m = walker.selection_set(&operation.node.selection_set.node, root, None);
        total.depth = total.depth.max(m.depth);
        total.cost = total.cost.max(m.cost);
        total.fields = total.fields.max(m.fields);
        total.aliases = total.aliases.max(m.aliases);
    }
    total
}

/// How deeply the document's selection sets nest, each fragment spread and inline fragment a
/// level; every fragment measured once, a cycle cut.
fn nesting(document: &ExecutableDocument) -> usize {
    fn set<'a>(
        document: &'a ExecutableDocument,
        selection: &'a SelectionSet,
        known: &mut HashMap<&'a str, usize>,
        visiting: &mut Vec<&'a str>,
    ) -> usize {
        let mut deepest = 0;
        for item in &selection.items {
            let below = match &item.node {
                Selection::Field(field) if field.node.selection_set.node.items.is_empty() => 0,
                Selection::Field(field) => {
                    1 + set(document, &field.node.selection_set.node, known, visiting)
                }
                Selection::InlineFragment(fragment) => {
                    1 + set(document, &fragment.node.selection_set.node, known, visiting)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    let depth = match known.get(name) {
                        Some(depth) => *depth,
                        None if visiting.contains(&name) => 0,
                        None => match document.fragments.get(&Name::new(name)) {
                            None => 0,
                            Some(definition) => {
                                visiting.push(name);
                                let depth = set(
                                    document,
                                    &definition.node.selection_set.node,
                                    known,
                                    visiting,
                                );
                                visiting.pop();
                                known.insert(name, depth);
                                depth
                            }
                        },
                    };
                    1 + depth
                }
            };
            deepest = deepest.max(below);
        }
        deepest
    }
    let mut known = HashMap::new();
    document
        .operations
        .iter()
        .map(|(_, operation)| {
            set(
                document,
                &operation.node.selection_set.node,
                &mut known,
                &mut Vec::new(),
            )
        })
        .max()
        .unwrap_or(0)
}

struct Walker<'a> {
    registry: &'a Registry,
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    operation_variables: &'a [Positioned<async_graphql::parser::types::VariableDefinition>],
    /// Fragments measured so far, by name and the page size they were spread under.
    fragments: HashMap<(&'a str, Option<u64>), Measure>,
    /// Fragments being measured, to cut cycles.
    visiting: Vec<&'a str>,
}

impl<'a> Walker<'a> {
    /// `page`: the page size of the connection this selection set belongs to, if it is one.
    fn selection_set(
        &mut self,
        set: &'a SelectionSet,
        ty: Option<&'a str>,
        page: Option<u64>,
    ) -> Measure {
        let mut m = Measure::default();
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    let name = field.name.node.as_str();
                    let meta = ty
                        .and_then(|t| self.registry.types.get(t))
                        .and_then(|t| t.field_by_name(name));
                    let field_type = meta.map(|f| MetaTypeName::concrete_typename(&f.ty));
                    let weight = ty
                        .and_then(|t| WEIGHTS.iter().find(|(o, f, _)| *o == t && *f == name))
                        .map_or(0, |(_, _, w)| *w);
                    let child_page = field_type
                        .filter(|t| t.ends_with("Connection"))
                        .map(|_| self.first(field));
                    let children =
                        self.selection_set(&field.selection_set.node, field_type, child_page);
                    let times = match page {
                        Some(size) if name == "nodes" || name == "edges" => size,
                        _ => 1,
                    };
                    m.add(Measure {
                        depth: 1 + children.depth,
                        cost: times.saturating_mul((1 + weight).saturating_add(children.cost)),
                        fields: 1 + children.fields,
                        aliases: u64::from(field.alias.is_some()) + children.aliases,
                    });
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.as_str())
                        .or(ty);
                    let inner = self.selection_set(&fragment.node.selection_set.node, on, page);
                    m.add(inner);
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    m.add(self.fragment(name, page));
                }
            }
        }
        m
    }

    fn fragment(&mut self, name: &'a str, page: Option<u64>) -> Measure {
        if let Some(known) = self.fragments.get(&(name, page)) {
            return *known;
        }
        if self.visiting.contains(&name) {
            return Measure::default();
        }
        let Some(definition) = self.document.fragments.get(&Name::new(name)) else {
            return Measure::default();
        };
        self.visiting.push(name);
        let on = definition.node.type_condition.node.on.node.as_str();
        let m = self.selection_set(&definition.node.selection_set.node, Some(on), page);
        self.visiting.pop();
        self.fragments.insert((name, page), m);
        m
    }

    /// The page size a connection field asks for: its `first`, from the literal, the variable
    /// or the variable's default, at most [`MAX_PAGE`]; [`DEFAULT_PAGE`] otherwise. A bad value is left to the
    /// resolver to refuse; it counts as the default here.
    fn first(&self, field: &Field) -> u64 {
        let Some((_, value)) = field
            .arguments
            .iter()
            .find(|(n, _)| n.node.as_str() == "first")
        else {
            return DEFAULT_PAGE;
        };
        let resolved = value.node.clone().into_const_with(|variable| {
            self.variables
                .get(&variable)
                .cloned()
                .or_else(|| {
                    self.operation_variables
                        .iter()
                        .find(|d| d.node.name.node == variable)
                        .and_then(|d| d.node.default_value.as_ref().map(|v| v.node.clone()))
                })
                .ok_or(())
        });
        match resolved {
            // More than a page holds is refused by the resolver; it costs a full page here.
            Ok(Value::Number(n)) => n.as_u64().map_or(DEFAULT_PAGE, |n| n.min(MAX_PAGE)),
            _ => DEFAULT_PAGE,
        }
    }
}

fn refusal(code: &str, message: String, actual: u64, limit: u64) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", code);
    extensions.set("actual", actual);
    extensions.set("limit", limit);
    error.extensions = Some(extensions);
    error
}

/// Checks each request against the limits and reports its cost.
pub struct Limiter(pub QueryLimits);

impl ExtensionFactory for Limiter {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(LimitCheck {
            limits: self.0,
            measured: Mutex::default(),
            charges: Mutex::default(),
        })
    }
}

struct LimitCheck {
    limits: QueryLimits,
    measured: Mutex<Option<Measure>>,
    charges: Mutex<Option<Arc<Charges>>>,
}

#[async_graphql::async_trait::async_trait]
impl Extension for LimitCheck {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        let measured = *self
            .measured
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(m) = measured {
            let read = self
                .charges
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .as_ref()
                .map_or(0, |c| c.used());
            m.report(&mut response, &self.limits, read);
        }
        response
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await.map_err(coded)?;
        let m = admit(&ctx.schema_env.registry, &document, variables, &self.limits)?;
        *self
            .measured
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(m);
        Ok(document)
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: async_graphql::Request,
        next: async_graphql::extensions::NextPrepareRequest<'_>,
    ) -> ServerResult<async_graphql::Request> {
        // Measured after this hook: a subscription's reports are charged against the whole
        // limit.
        let charges = Arc::new(Charges::new(&Measure::default(), &self.limits));
        *self
            .charges
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(charges.clone());
        next.run(ctx, request.data(charges)).await
    }
}

/// async-graphql's own nesting check, given the code of ours.
pub fn coded(mut error: ServerError) -> ServerError {
    if error.message.starts_with("The recursion depth") {
        let mut extensions = error.extensions.take().unwrap_or_default();
        extensions.set("code", "QUERY_TOO_DEEP");
        error.extensions = Some(extensions);
    }
    error
}

/// The document's measure, or the refusal of the first limit it passes. Its nesting, with
/// fragment spreads and inline fragments counted as levels as async-graphql counts them, is
/// checked first, against [`recursion_limit`].
pub fn admit(
    registry: &Registry,
    document: &ExecutableDocument,
    variables: &Variables,
    l: &QueryLimits,
) -> ServerResult<Measure> {
    let most = recursion_limit(l);
    if nesting(document) > most {
        return Err(coded(ServerError::new(
            format!("The recursion depth of the query cannot be greater than `{most}`"),
            None,
        )));
    }
    let m = measure(registry, document, variables);
    let (code, message, actual, limit) = if m.depth > l.max_depth {
        let message = format!(
            "the query nests fields {} deep; at most {} are allowed",
            m.depth, l.max_depth
        );
        ("QUERY_TOO_DEEP", message, m.depth, l.max_depth)
    } else if m.fields > l.max_fields {
        let message = format!(
            "the query selects {} fields; at most {} are allowed",
            m.fields, l.max_fields
        );
        ("TOO_MANY_FIELDS", message, m.fields, l.max_fields)
    } else if m.aliases > l.max_aliases {
        let message = format!(
            "the query uses {} aliases; at most {} are allowed",
            m.aliases, l.max_aliases
        );
        ("TOO_MANY_ALIASES", message, m.aliases, l.max_aliases)
    } else if m.cost > l.max_cost {
        let message = format!(
            "the query may cost {}: every field counts once, times the page sizes (`first`, 20 when omitted) of the connections above it; at most {} is allowed",
            m.cost, l.max_cost
        );
        ("QUERY_TOO_COSTLY", message, m.cost, l.max_cost)
    } else {
        return Ok(m);
    };
    Err(refusal(code, message, actual, limit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(query: &str) -> Measure {
        use async_graphql::OutputType;
        let mut registry = Registry::default();
        let root = <crate::graphql::Query as OutputType>::create_type_info(&mut registry);
        registry.query_type = MetaTypeName::concrete_typename(&root).to_owned();
        let document = async_graphql::parser::parse_query(query).expect("parses");
        measure(&registry, &document, &Variables::default())
    }

    #[test]
    fn nested_connections_multiply_and_page_sizes_count() {
        let m = measured("{ organisations(first: 10) { nodes { slug registers(first: 5) { nodes { slug } pageInfo { hasNextPage } } } } }");
        // organisations 1 + nodes 10 × (nodes 1 + slug 1 + registers 1 + nodes 5 × (1 + 1) + pageInfo 1 + hasNextPage 1)
        assert_eq!(m.cost, 1 + 10 * (1 + 1 + 1 + 5 * 2 + 2));
        assert_eq!(m.depth, 5);
        assert_eq!(m.fields, 8);
    }

    #[test]
    fn a_fragment_bomb_is_measured_in_linear_time() {
        let mut document = String::from("query { ...F0 }\n");
        for i in 0..40 {
            document.push_str(&format!(
                "fragment F{i} on Query {{ ...F{} ...F{} }}\n",
                i + 1,
                i + 1
            ));
        }
        document.push_str("fragment F40 on Query { __typename }\n");
        let started = std::time::Instant::now();
        let m = measured(&document);
        assert_eq!(m.fields, 1 << 40);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
    }
}
