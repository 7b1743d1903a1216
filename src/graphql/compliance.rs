//! Compliance findings over GraphQL: the report of an organisation or a register, the findings
//! on each node, and the rules themselves.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, Enum, Object, Result, SimpleObject, ID};
use chrono::{DateTime, NaiveDate, Utc};
use tokio::sync::Mutex;
use uuid::Uuid;

use super::text::Language;
use crate::authz::{Action, Decisions, Scope};
use crate::checks::{self, Finding, Severity};
use crate::error::GqlResult;
use crate::ids::{encode, NodeKind};
use crate::notice::Lang;
use crate::state::AppState;

/// How much a finding matters.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::checks::Severity")]
pub enum FindingSeverity {
    /// A breach of what the law requires the record or the notice to say.
    Error,
    /// Likely a breach, or practice the law expects.
    Warning,
    /// Advice.
    Info,
}

/// The findings of one organisation on one day.
type Checked = HashMap<(Uuid, NaiveDate), Arc<Vec<Finding>>>;

/// The findings of each organisation checked in this request, computed once per request.
#[derive(Default)]
pub struct ComplianceCache(Mutex<Checked>);

async fn findings(
    ctx: &Context<'_>,
    organisation: Uuid,
    on: NaiveDate,
) -> Result<Arc<Vec<Finding>>> {
    let state = ctx.data::<AppState>()?;
    let cache = ctx.data::<ComplianceCache>()?;
    let mut cached = cache.0.lock().await;
    if let Some(found) = cached.get(&(organisation, on)) {
        return Ok(found.clone());
    }
    let found = Arc::new(
        checks::check_organisation(&state.db, &state.adequacy, organisation, on)
            .await
            .gql()?,
    );
    cached.insert((organisation, on), found.clone());
    Ok(found)
}

/// Where reading a finding is decided: its register, or its organisation.
fn scope(organisation: Uuid, finding: &Finding) -> Scope {
    match finding.hit.register {
        Some(id) => Scope::Register { id, organisation },
        None => Scope::Organisation(organisation),
    }
}

/// One thing the record or the notices are missing.
#[derive(Clone)]
pub struct FindingNode(pub Finding);

/// One thing the record or the notices are missing: the rule, the node, what to fix.
#[Object(name = "Finding")]
impl FindingNode {
    /// The rule's stable code, such as `NO_RETENTION`.
    async fn rule(&self) -> &str {
        self.0.rule.code
    }

    /// How much it matters.
    async fn severity(&self) -> FindingSeverity {
        self.0.rule.severity.into()
    }

    /// The provision the rule rests on: GDPR articles as `13(2)(a)`, or a national provision.
    async fn article(&self) -> &str {
        self.0.rule.article
    }

    /// The node the finding is on.
    async fn node_id(&self) -> ID {
        ID(self.0.node_id())
    }

    /// The node's type, as in the schema (`ProcessingActivity`, `Transfer`, …).
    async fn node_type(&self) -> String {
        format!("{:?}", self.0.hit.kind)
    }

    /// The register the node belongs to, if it belongs to one.
    async fn register_id(&self) -> Option<ID> {
        self.0
            .hit
            .register
            .map(|r| ID(encode(NodeKind::Register, r)))
    }

    /// What to fix.
    async fn message(
        &self,
        #[graphql(desc = "The language of the message.", default_with = "Language::En")]
        language: Language,
    ) -> String {
        self.0
            .message(Lang::parse(language.tag()).unwrap_or(Lang::En))
    }

    /// The acknowledgement that accepts this finding, if any.
    async fn acknowledgement(&self) -> Option<AcknowledgementNode> {
        self.0.acknowledgement.clone().map(AcknowledgementNode)
    }
}

/// A finding accepted, with the reason and who decided it.
#[derive(Clone)]
pub struct AcknowledgementNode(pub entity::acknowledgement::Model);

/// A finding accepted, with the reason and who decided it.
#[Object(name = "Acknowledgement")]
impl AcknowledgementNode {
    /// Opaque, stable ID; withdraw the acknowledgement by it.
    async fn id(&self) -> ID {
        ID(encode(NodeKind::Acknowledgement, self.0.id))
    }

    /// The rule acknowledged.
    async fn rule(&self) -> &str {
        &self.0.rule
    }

    /// Why the finding is accepted.
    async fn reason(&self) -> &str {
        &self.0.reason
    }

    /// The account that acknowledged it.
    async fn acknowledged_by(&self) -> Option<ID> {
        self.0.account_id.map(|a| ID(encode(NodeKind::Account, a)))
    }

    /// When.
    async fn acknowledged_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// The version to name when withdrawing it.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// Findings with their counts.
#[derive(SimpleObject)]
pub struct ComplianceReport {
    /// The day the checks were made for (adequacy decisions and review dates as of it).
    pub checked_on: NaiveDate,
    /// Error-level findings not acknowledged.
    pub error_count: i32,
    /// Warning-level findings not acknowledged.
    pub warning_count: i32,
    /// Info-level findings not acknowledged.
    pub info_count: i32,
    /// Findings acknowledged (left out of the counts above).
    pub acknowledged_count: i32,
    /// The findings, filtered as asked, in the order of the rules.
    pub findings: Vec<FindingNode>,
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The report of `organisation`, or of the findings that affect `register`.
#[allow(clippy::too_many_arguments)]
pub async fn report(
    ctx: &Context<'_>,
    organisation: Uuid,
    register: Option<Uuid>,
    rules: Option<Vec<String>>,
    severities: Option<Vec<FindingSeverity>>,
    include_acknowledged: bool,
    on: Option<NaiveDate>,
) -> Result<ComplianceReport> {
    let on = on.unwrap_or_else(|| Utc::now().date_naive());
    let decisions = ctx.data::<Decisions>()?;
    let all = findings(ctx, organisation, on).await?;
    let visible: Vec<&Finding> = all
        .iter()
        .filter(|f| register.is_none_or(|r| f.registers.contains(&r)))
        .filter(|f| decisions.allows(Action::Read, scope(organisation, f)))
        .collect();
    let severity_of = |s: Severity| {
        count(
            visible
                .iter()
                .filter(|f| f.acknowledgement.is_none() && f.rule.severity == s)
                .count(),
        )
    };
    let wanted_severities: Option<Vec<Severity>> =
        severities.map(|s| s.into_iter().map(Into::into).collect());
    let findings = visible
        .iter()
        .filter(|f| include_acknowledged || f.acknowledgement.is_none())
        .filter(|f| {
            rules
                .as_ref()
                .is_none_or(|r| r.iter().any(|c| c == f.rule.code))
        })
        .filter(|f| {
            wanted_severities
                .as_ref()
                .is_none_or(|s| s.contains(&f.rule.severity))
        })
        .map(|f| FindingNode((*f).clone()))
        .collect();
    Ok(ComplianceReport {
        checked_on: on,
        error_count: severity_of(Severity::Error),
        warning_count: severity_of(Severity::Warning),
        info_count: severity_of(Severity::Info),
        acknowledged_count: count(
            visible
                .iter()
                .filter(|f| f.acknowledgement.is_some())
                .count(),
        ),
        findings,
    })
}

/// The findings on one node (acknowledged ones included, with their acknowledgement).
pub async fn on_node(
    ctx: &Context<'_>,
    organisation: Uuid,
    node: Uuid,
) -> Result<Vec<FindingNode>> {
    let all = findings(ctx, organisation, Utc::now().date_naive()).await?;
    Ok(all
        .iter()
        .filter(|f| f.hit.id == node)
        .map(|f| FindingNode(f.clone()))
        .collect())
}

/// A compliance rule.
#[derive(SimpleObject)]
pub struct ComplianceRule {
    /// Stable code.
    pub code: String,
    /// How much its findings matter.
    pub severity: FindingSeverity,
    /// The provision it rests on.
    pub article: String,
}

/// The rules, for anyone.
#[derive(Default)]
pub struct ComplianceQuery;

#[Object]
impl ComplianceQuery {
    /// Every compliance rule the service checks, in the order findings are reported.
    async fn compliance_rules(&self) -> Vec<ComplianceRule> {
        checks::RULES
            .iter()
            .map(|r| ComplianceRule {
                code: r.code.to_owned(),
                severity: r.severity.into(),
                article: r.article.to_owned(),
            })
            .collect()
    }
}
