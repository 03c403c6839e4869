//! What a published guide (办事指南) says about one item: the 16 elements of the
//! county-level disclosure form, with materials, limits and steps in detail.

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::region::RegionCode;

/// Where a fact comes from: a public source, or an example that is no fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Provenance {
    /// From a published source, named in `citation`.
    Official { citation: String },
    /// Made up to show the shape; must be labelled wherever it is shown.
    Illustrative { note: String },
}

impl Provenance {
    pub fn is_illustrative(&self) -> bool {
        matches!(self, Provenance::Illustrative { .. })
    }
}

/// A standard in the standard system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standard {
    pub id: String,
    pub title: String,
    pub tier: StandardTier,
    pub category: StandardCategory,
    pub issuer: String,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StandardTier {
    National,
    Industry,
    Local,
    Internal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StandardCategory {
    Basic,
    Management,
    Technical,
    Work,
    Service,
}

/// A national basic public service project (国家基本公共服务项目).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceProject {
    pub id: String,
    pub name: String,
    pub domain: ProjectDomain,
    /// The department responsible today.
    pub department: String,
    pub note: Option<String>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProjectDomain {
    SocialInsurance,
    Employment,
    Talent,
}

/// A legal basis down to the article: "工伤保险条例 第二十条".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LegalBasis(pub String);

/// How a time limit is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LimitUnit {
    WorkingDays,
    CalendarDays,
    /// 即办: completed at the window in one visit.
    OnTheSpot,
}

impl LimitUnit {
    /// The unit as a Chinese guide writes it after the number.
    pub fn name_zh(self) -> &'static str {
        match self {
            LimitUnit::WorkingDays => "个工作日",
            LimitUnit::CalendarDays => "日",
            LimitUnit::OnTheSpot => "即办",
        }
    }

    /// How the calendar counts a period in this unit; none for on-the-spot handling.
    pub fn period(self) -> Option<crate::calendar::PeriodUnit> {
        match self {
            LimitUnit::WorkingDays => Some(crate::calendar::PeriodUnit::WorkingDays),
            LimitUnit::CalendarDays => Some(crate::calendar::PeriodUnit::CalendarDays),
            LimitUnit::OnTheSpot => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Extension {
    pub amount: u32,
    pub unit: LimitUnit,
    pub condition: String,
    /// Who may approve it.
    pub approver: String,
}

/// A time limit with what starts it and what stops or prolongs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TimeLimit {
    pub amount: u32,
    pub unit: LimitUnit,
    /// The event the period counts from (the period starts the day after).
    pub start: String,
    /// When the clock stops (中止), if the law provides for it.
    pub suspension: Option<String>,
    pub extension: Option<Extension>,
    /// A supplement after a one-time notice restarts the count (工伤认定 受理审核).
    pub restart_on_supplement: bool,
    pub basis: Option<LegalBasis>,
}

impl TimeLimit {
    /// True when `self`, as a promise, can never run past `statutory`. Mixed units are
    /// compared conservatively: N working days span at least N calendar days.
    pub fn fits_within(&self, statutory: &TimeLimit) -> bool {
        match (self.unit, statutory.unit) {
            (LimitUnit::OnTheSpot, _) => true,
            (_, LimitUnit::OnTheSpot) => false,
            (LimitUnit::CalendarDays, LimitUnit::WorkingDays) => self.amount <= statutory.amount,
            (LimitUnit::WorkingDays, LimitUnit::CalendarDays) => {
                // Up to 9 consecutive rest days (Spring Festival) can fall inside: be safe.
                u64::from(self.amount) * 7 / 5 + 9 <= u64::from(statutory.amount)
            }
            _ => self.amount <= statutory.amount,
        }
    }
}

/// The statutory limit: set by law, none set by law, or not known to the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StatutoryLimit {
    Set(TimeLimit),
    /// The law sets no time limit for this item.
    NoneByLaw {
        note: String,
    },
    /// No source is known to the catalog.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MaterialForm {
    Original,
    Copy,
    OriginalAndCopy,
    Electronic,
}

/// One document in a guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Material {
    pub id: String,
    pub name: String,
    pub form: MaterialForm,
    pub count: u32,
    pub required: bool,
    pub issuer: String,
    /// May be replaced by a signed commitment (告知承诺).
    pub commitment_allowed: bool,
    /// The office fetches it from shared data (免提交).
    pub fetchable: bool,
    /// Key material: without it a case cannot be provisionally accepted (容缺受理).
    pub key: bool,
    /// Required by law: no implementation may drop it.
    pub legal_basis: Option<LegalBasis>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Window,
    Online,
    Mobile,
    Kiosk,
    BankOutlet,
    Post,
    /// The 12333 hotline and other telephone service.
    Phone,
}

impl Channel {
    pub const ALL: [Channel; 7] = [
        Channel::Window,
        Channel::Online,
        Channel::Mobile,
        Channel::Kiosk,
        Channel::BankOutlet,
        Channel::Post,
        Channel::Phone,
    ];

    /// The name of the running total that counts cases submitted through it.
    pub fn tally_name(self) -> &'static str {
        match self {
            Channel::Window => "channel_window",
            Channel::Online => "channel_online",
            Channel::Mobile => "channel_mobile",
            Channel::Kiosk => "channel_kiosk",
            Channel::BankOutlet => "channel_bank_outlet",
            Channel::Post => "channel_post",
            Channel::Phone => "channel_phone",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Channel::Window => "窗口",
            Channel::Online => "网上",
            Channel::Mobile => "移动端",
            Channel::Kiosk => "自助终端",
            Channel::BankOutlet => "银行网点",
            Channel::Post => "邮寄",
            Channel::Phone => "电话",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Accept,
    Review,
    Decide,
    Complete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Clerk,
    Reviewer,
    Supervisor,
    StandardsOfficer,
    Administrator,
    /// No person: an automatic decision inside risk limits.
    System,
}

/// One step of the procedure (操作规程) with who does it and its time budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Step {
    pub kind: StepKind,
    pub role: Role,
    pub budget_days: u32,
    pub budget_unit: LimitUnit,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// 即办件
    OnTheSpot,
    /// 承诺件
    Promised,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Applicant {
    Person,
    Employer,
    PersonOrEmployer,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Flags {
    /// 跨省通办
    pub cross_province: bool,
    /// 全程网办
    pub fully_online: bool,
    /// 免申即享
    pub proactive: bool,
}

/// The rule that decides an item's applications right after acceptance (智能审批): a
/// policy of the catalog by id, version and content hash. Part of the guide, so its
/// hash changes with the rule and a case keeps the rule it was decided under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DecisionRule {
    pub policy: String,
    pub version: String,
    pub content_hash: String,
}

/// One version of a service item's national guide: every element of the 16-element form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Guide {
    pub item: String,
    pub name: String,
    pub project: String,
    pub version: u32,
    pub effective: Date,
    pub ends: Option<Date>,
    pub summary: String,
    /// 适用范围
    pub scope: String,
    pub applicant: Applicant,
    /// 办件类型
    pub kind: ItemKind,
    /// 办理方式
    pub channels: Vec<Channel>,
    /// 现场办事次数 (most visits in person)
    pub visits: Option<u32>,
    /// 设立依据
    pub basis: Vec<LegalBasis>,
    /// 办理条件
    pub conditions: Vec<String>,
    /// 申办材料
    pub materials: Vec<Material>,
    /// 办理流程
    pub steps: Vec<Step>,
    /// The limit for deciding whether to accept (受理审核), where the law sets one apart
    /// from the decision limit: 工伤认定 15 days, restarted by a supplement.
    pub acceptance: Option<TimeLimit>,
    /// 办理时限: 法定
    pub statutory: StatutoryLimit,
    /// 办理时限: 承诺
    pub promised: Option<TimeLimit>,
    /// 收费依据及标准
    pub fee: Option<String>,
    /// 审批结果
    pub result: Option<String>,
    /// 结果送达
    pub delivery: Vec<String>,
    /// 办理地址和时间: the halls; the baseline names none, regions set them.
    pub halls: Vec<String>,
    /// 咨询方式
    pub consultation: Option<String>,
    /// 办理进程和结果查询
    pub progress_query: Option<String>,
    /// 监督投诉渠道
    pub complaint: Option<String>,
    pub flags: Flags,
    /// Everyday words people search with ("上班路上受伤").
    pub keywords: Vec<String>,
    pub change_note: Option<String>,
    pub provenance: Provenance,
    /// Set when a rule decides this item's applications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<DecisionRule>,
}

/// The 16 elements, for completeness reports.
pub const GUIDE_ELEMENTS: [&str; 16] = [
    "适用范围",
    "办件类型",
    "办理方式",
    "现场办事次数",
    "设立依据",
    "办理条件",
    "申办材料",
    "办理流程",
    "办理时限",
    "收费依据及标准",
    "审批结果",
    "结果送达",
    "办理地址和时间",
    "咨询方式",
    "办理进程和结果查询",
    "监督投诉渠道",
];

impl Guide {
    /// An empty guide: the placeholder of a case whose guide is not attached yet.
    pub fn detached() -> Guide {
        Guide {
            item: String::new(),
            name: String::new(),
            project: String::new(),
            version: 0,
            effective: Date::MIN,
            ends: None,
            summary: String::new(),
            scope: String::new(),
            applicant: Applicant::PersonOrEmployer,
            kind: ItemKind::Promised,
            channels: Vec::new(),
            visits: None,
            basis: Vec::new(),
            conditions: Vec::new(),
            materials: Vec::new(),
            steps: Vec::new(),
            acceptance: None,
            statutory: StatutoryLimit::Unknown,
            promised: None,
            fee: None,
            result: None,
            delivery: Vec::new(),
            halls: Vec::new(),
            consultation: None,
            progress_query: None,
            complaint: None,
            flags: Flags::default(),
            keywords: Vec::new(),
            change_note: None,
            provenance: Provenance::Illustrative {
                note: String::new(),
            },
            decided_by: None,
        }
    }

    /// Which of the 16 elements are filled, in [`GUIDE_ELEMENTS`] order. A statutory limit
    /// the catalog does not know leaves 办理时限 unfilled even with a promise.
    pub fn elements_filled(&self) -> [bool; 16] {
        [
            !self.scope.trim().is_empty(),
            true,
            !self.channels.is_empty(),
            self.visits.is_some(),
            !self.basis.is_empty(),
            !self.conditions.is_empty(),
            !self.materials.is_empty(),
            !self.steps.is_empty(),
            !matches!(self.statutory, StatutoryLimit::Unknown) && self.promised.is_some(),
            self.fee.is_some(),
            self.result.is_some(),
            !self.delivery.is_empty(),
            !self.halls.is_empty(),
            self.consultation.is_some(),
            self.progress_query.is_some(),
            self.complaint.is_some(),
        ]
    }

    pub fn completeness(&self) -> f64 {
        let filled = self.elements_filled().iter().filter(|f| **f).count();
        filled as f64 / 16.0
    }

    pub fn in_force(&self, date: Date) -> bool {
        self.effective <= date && self.ends.is_none_or(|end| date < end)
    }
}

/// Items a person or employer usually needs around one event in life (一件事: 退休,
/// 失业, 工伤 …), shown together so that nobody has to know the items' names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifeEvent {
    pub id: String,
    pub name: String,
    pub name_en: String,
    /// Item ids, in the order they are usually done.
    pub items: Vec<String>,
    pub provenance: Provenance,
}

/// A region's implementation of one item (地方实施标准), relative to the level above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    pub item: String,
    pub region: RegionCode,
    pub version: u32,
    pub effective: Date,
    pub ends: Option<Date>,
    pub promised: Option<TimeLimit>,
    pub add_materials: Vec<Material>,
    pub drop_materials: Vec<DroppedMaterial>,
    pub add_channels: Vec<Channel>,
    pub halls: Vec<String>,
    pub flags: Option<Flags>,
    pub change_note: Option<String>,
    pub provenance: Provenance,
}

impl Variant {
    pub fn in_force(&self, date: Date) -> bool {
        self.effective <= date && self.ends.is_none_or(|end| date < end)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DroppedMaterial {
    pub id: String,
    pub reason: String,
}
