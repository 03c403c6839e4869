//! From raw file shapes to checked domain types, collecting every error.

mod life_events;
mod policies;
mod rating_settings;

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::civil::Date;
use toml::Spanned;
use yichuang_domain::RegionCode;
use yichuang_domain::catalog::*;

use crate::LoadedCatalog;
use crate::error::{CatalogError, CatalogErrors, SourceFile};
use crate::raw::*;

/// What a file is, by its name and folder.
enum Kind {
    Standards,
    Projects,
    Defaults,
    Synonyms,
    LifeEvents,
    Items,
    Region,
    Policy,
}

fn kind_of(path: &str) -> Option<Kind> {
    let mut parts = path.rsplit('/');
    let name = parts.next()?;
    let folder = parts.next().unwrap_or("");
    match (folder, name) {
        (_, "standards.toml") => Some(Kind::Standards),
        (_, "projects.toml") => Some(Kind::Projects),
        (_, "defaults.toml") => Some(Kind::Defaults),
        (_, "synonyms.toml") => Some(Kind::Synonyms),
        (_, "life_events.toml") => Some(Kind::LifeEvents),
        ("items", _) => Some(Kind::Items),
        ("regions", _) => Some(Kind::Region),
        ("policies", _) => Some(Kind::Policy),
        _ => None,
    }
}

/// Parsed files, kept with their sources so later checks can point at lines.
#[derive(Default)]
struct Parsed {
    standards: Vec<(usize, StandardsFile)>,
    projects: Vec<(usize, ProjectsFile)>,
    defaults: Option<DefaultsFile>,
    synonyms: Vec<(String, String)>,
    life_events: Vec<(usize, LifeEventsFile)>,
    items: Vec<(usize, ItemsFile)>,
    regions: Vec<(usize, RegionFile)>,
    policies: Vec<(usize, PolicyFile)>,
}

pub(crate) fn load(mut files: Vec<(String, String)>) -> Result<LoadedCatalog, CatalogErrors> {
    files.sort();
    let sources: Vec<SourceFile> = files
        .into_iter()
        .map(|(path, text)| SourceFile { path, text })
        .collect();
    let mut errors = Vec::new();
    let mut parsed = Parsed::default();
    for (index, source) in sources.iter().enumerate() {
        let Some(kind) = kind_of(&source.path) else {
            errors.push(source.error(0, "(file)", "not a catalog file: expected standards.toml, projects.toml, defaults.toml, synonyms.toml, life_events.toml, items/*.toml, regions/*.toml or policies/*.toml"));
            continue;
        };
        let result = match kind {
            Kind::Standards => {
                toml::from_str(&source.text).map(|f| parsed.standards.push((index, f)))
            }
            Kind::Projects => {
                toml::from_str(&source.text).map(|f| parsed.projects.push((index, f)))
            }
            Kind::Defaults => toml::from_str(&source.text).map(|f| parsed.defaults = Some(f)),
            Kind::Synonyms => toml::from_str::<SynonymsFile>(&source.text)
                .map(|f| parsed.synonyms.extend(f.synonyms)),
            Kind::LifeEvents => {
                toml::from_str(&source.text).map(|f| parsed.life_events.push((index, f)))
            }
            Kind::Items => toml::from_str(&source.text).map(|f| parsed.items.push((index, f))),
            Kind::Region => toml::from_str(&source.text).map(|f| parsed.regions.push((index, f))),
            Kind::Policy => toml::from_str(&source.text).map(|f| parsed.policies.push((index, f))),
        };
        if let Err(e) = result {
            errors.push(source.toml_error(&e));
        }
    }
    let mut builder = Builder {
        sources: &sources,
        errors,
        defaults: parsed.defaults.take().unwrap_or_default(),
    };
    let catalog = builder.build(&parsed);
    let mut catalog = catalog;
    let policies = builder.policies(&parsed, &catalog);
    builder.attach_decision_rules(&mut catalog, &policies);
    let mut errors = builder.errors;
    if errors.is_empty() {
        Ok(LoadedCatalog {
            catalog,
            synonyms: parsed.synonyms,
            policies,
        })
    } else {
        errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        errors.dedup();
        Err(CatalogErrors(errors))
    }
}

struct Builder<'a> {
    sources: &'a [SourceFile],
    errors: Vec<CatalogError>,
    defaults: DefaultsFile,
}

fn provenance(raw: &RawProvenance) -> Result<Provenance, String> {
    match raw.kind {
        ProvenanceKind::Official => match raw.citation.as_deref().map(str::trim) {
            Some(citation) if !citation.is_empty() => Ok(Provenance::Official {
                citation: citation.to_owned(),
            }),
            _ => {
                Err("`official` provenance needs a `citation` naming the public source".to_owned())
            }
        },
        ProvenanceKind::Illustrative => Ok(Provenance::Illustrative {
            note: raw
                .note
                .clone()
                .unwrap_or_else(|| "illustrative data, not an official source".to_owned()),
        }),
    }
}

/// "工伤保险条例 第二十条": a law's name and an article.
fn is_article_citation(text: &str) -> bool {
    text.contains('第') && text.contains('条')
}

fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

impl Builder<'_> {
    /// An id must be a slug and used once among its kind.
    fn unique_slug(
        &mut self,
        file: usize,
        at: usize,
        field: &str,
        id: &str,
        seen: &mut HashSet<String>,
    ) {
        if !is_slug(id) {
            self.push(
                file,
                at,
                field,
                "an id uses lower-case letters, digits and hyphens",
            );
        }
        if !seen.insert(id.to_owned()) {
            self.push(file, at, field, "listed twice");
        }
    }

    fn push(
        &mut self,
        file: usize,
        offset: usize,
        field: impl Into<String>,
        message: impl Into<String>,
    ) {
        let error = self.sources[file].error(offset, field, message);
        self.errors.push(error);
    }

    fn date(&mut self, file: usize, field: &str, value: &Spanned<String>) -> Option<Date> {
        match value.get_ref().parse::<Date>() {
            Ok(date) => Some(date),
            Err(_) => {
                self.push(
                    file,
                    value.span().start,
                    field,
                    format!("{:?} is not a date (YYYY-MM-DD)", value.get_ref()),
                );
                None
            }
        }
    }

    fn build(&mut self, parsed: &Parsed) -> Catalog {
        let standards = self.standards(parsed);
        let projects = self.projects(parsed);
        let project_ids: HashSet<&str> = projects.iter().map(|p| p.id.as_str()).collect();
        let guides = self.guides(parsed, &project_ids);
        let guides = self.check_versions(guides);
        let variants = self.variants(parsed, &guides);
        let item_ids: HashSet<&str> = guides.iter().map(|(g, _, _)| g.item.as_str()).collect();
        let life_events = self.life_events(parsed, &item_ids);
        Catalog {
            standards,
            projects,
            guides: guides.into_iter().map(|(guide, _, _)| guide).collect(),
            variants,
            life_events,
            decision_rules: Vec::new(),
            rating_settings: self.rating_settings(parsed),
            star_criteria: self.star_criteria(parsed),
        }
    }

    fn standards(&mut self, parsed: &Parsed) -> Vec<Standard> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (file, standards) in &parsed.standards {
            for raw in &standards.standard {
                let at = raw.id.span().start;
                let field = format!("standard {}", raw.id.get_ref());
                if !seen.insert(raw.id.get_ref().clone()) {
                    self.push(*file, at, &field, "listed twice");
                }
                match provenance(&raw.provenance) {
                    Ok(provenance) => out.push(Standard {
                        id: raw.id.get_ref().clone(),
                        title: raw.title.clone(),
                        tier: raw.tier,
                        category: raw.category,
                        issuer: raw.issuer.clone(),
                        provenance,
                    }),
                    Err(e) => self.push(*file, at, format!("{field}: provenance"), e),
                }
            }
        }
        out
    }

    fn projects(&mut self, parsed: &Parsed) -> Vec<ServiceProject> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (file, projects) in &parsed.projects {
            for raw in &projects.project {
                let at = raw.id.span().start;
                let field = format!("project {}", raw.id.get_ref());
                if !is_slug(raw.id.get_ref()) {
                    self.push(
                        *file,
                        at,
                        &field,
                        "an id uses lower-case letters, digits and hyphens",
                    );
                }
                if !seen.insert(raw.id.get_ref().clone()) {
                    self.push(*file, at, &field, "listed twice");
                }
                match provenance(&raw.provenance) {
                    Ok(provenance) => out.push(ServiceProject {
                        id: raw.id.get_ref().clone(),
                        name: raw.name.clone(),
                        domain: raw.domain,
                        department: raw.department.clone(),
                        note: raw.note.clone(),
                        provenance,
                    }),
                    Err(e) => self.push(*file, at, format!("{field}: provenance"), e),
                }
            }
        }
        out
    }

    fn limit(&mut self, file: usize, field: &str, raw: &Spanned<RawLimit>) -> Option<TimeLimit> {
        let at = raw.span().start;
        let r = raw.get_ref();
        if r.amount == 0 && r.unit != LimitUnit::OnTheSpot {
            self.push(
                file,
                at,
                field,
                "a limit of 0 days: use unit = \"on_the_spot\" for handling at the window",
            );
            return None;
        }
        if let Some(basis) = &r.basis
            && !is_article_citation(basis)
        {
            self.push(
                file,
                at,
                format!("{field}.basis"),
                format!("{basis:?} does not name an article (…第N条)"),
            );
        }
        Some(TimeLimit {
            amount: r.amount,
            unit: r.unit,
            start: r.start.clone().unwrap_or_else(|| "受理之日".to_owned()),
            suspension: r.suspension.clone(),
            extension: r.extension.as_ref().map(extension),
            restart_on_supplement: r.restart_on_supplement,
            basis: r.basis.clone().map(LegalBasis),
        })
    }

    fn statutory(
        &mut self,
        file: usize,
        field: &str,
        raw: &Spanned<RawStatutory>,
    ) -> Option<StatutoryLimit> {
        let at = raw.span().start;
        let r = raw.get_ref();
        match r.status {
            StatutoryStatus::Unknown => Some(StatutoryLimit::Unknown),
            StatutoryStatus::NoneByLaw => match &r.note {
                Some(note) if !note.trim().is_empty() => {
                    Some(StatutoryLimit::NoneByLaw { note: note.clone() })
                }
                _ => {
                    self.push(
                        file,
                        at,
                        field,
                        "status \"none_by_law\" needs a `note` saying which law was checked",
                    );
                    None
                }
            },
            StatutoryStatus::Set => {
                let (Some(amount), Some(unit)) = (r.amount, r.unit) else {
                    self.push(file, at, field, "status \"set\" needs `amount` and `unit`");
                    return None;
                };
                let Some(basis) = r.basis.clone().filter(|b| is_article_citation(b)) else {
                    self.push(
                        file,
                        at,
                        format!("{field}.basis"),
                        "a statutory limit needs the article it comes from (…第N条)",
                    );
                    return None;
                };
                if amount == 0 && unit != LimitUnit::OnTheSpot {
                    self.push(
                        file,
                        at,
                        field,
                        "a limit of 0 days: use unit = \"on_the_spot\"",
                    );
                    return None;
                }
                Some(StatutoryLimit::Set(TimeLimit {
                    amount,
                    unit,
                    start: r.start.clone().unwrap_or_else(|| "受理之日".to_owned()),
                    suspension: r.suspension.clone(),
                    extension: r.extension.as_ref().map(extension),
                    restart_on_supplement: r.restart_on_supplement,
                    basis: Some(LegalBasis(basis)),
                }))
            }
        }
    }

    fn material(
        &mut self,
        file: usize,
        at: usize,
        field: &str,
        raw: &RawMaterial,
    ) -> Option<Material> {
        if !is_slug(&raw.id) {
            self.push(
                file,
                at,
                field,
                format!(
                    "material id {:?}: use lower-case letters, digits and hyphens",
                    raw.id
                ),
            );
            return None;
        }
        if raw.count == 0 {
            self.push(
                file,
                at,
                field,
                format!("material {}: count must be at least 1", raw.id),
            );
        }
        if let Some(basis) = &raw.legal_basis
            && !is_article_citation(basis)
        {
            self.push(
                file,
                at,
                field,
                format!(
                    "material {}: legal_basis {basis:?} does not name an article",
                    raw.id
                ),
            );
        }
        Some(Material {
            id: raw.id.clone(),
            name: raw.name.clone(),
            form: raw.form,
            count: raw.count,
            required: raw.required,
            issuer: raw.issuer.clone(),
            commitment_allowed: raw.commitment,
            fetchable: raw.fetchable,
            key: raw.key,
            legal_basis: raw.legal_basis.clone().map(LegalBasis),
        })
    }

    fn guides(&mut self, parsed: &Parsed, projects: &HashSet<&str>) -> Vec<(Guide, usize, usize)> {
        let mut out = Vec::new();
        for (file, items) in &parsed.items {
            for spanned in &items.item {
                if let Some(guide) = self.guide(*file, spanned, projects) {
                    out.push((guide, *file, spanned.span().start));
                }
            }
        }
        out
    }

    fn guide(
        &mut self,
        file: usize,
        spanned: &Spanned<RawItem>,
        projects: &HashSet<&str>,
    ) -> Option<Guide> {
        let raw = spanned.get_ref();
        let id = raw.id.get_ref();
        let at = raw.id.span().start;
        let field = format!("item {id} v{}", raw.version.get_ref());
        let errors_before = self.errors.len();
        if !is_slug(id) {
            self.push(
                file,
                at,
                &field,
                "an id uses lower-case letters, digits and hyphens",
            );
        }
        if !projects.contains(raw.project.get_ref().as_str()) {
            self.push(
                file,
                raw.project.span().start,
                format!("{field}: project"),
                format!("no project {:?} in projects.toml", raw.project.get_ref()),
            );
        }
        let effective = self.date(file, &format!("{field}: effective"), &raw.effective);
        let ends = raw
            .ends
            .as_ref()
            .and_then(|e| self.date(file, &format!("{field}: ends"), e));
        if let (Some(start), Some(end)) = (effective, ends)
            && end <= start
        {
            self.push(
                file,
                at,
                format!("{field}: ends"),
                format!("{end} is not after the effective date {start}"),
            );
        }
        if raw.channels.get_ref().is_empty() {
            self.push(
                file,
                raw.channels.span().start,
                format!("{field}: channels"),
                "at least one channel",
            );
        }
        for basis in raw.basis.get_ref() {
            if !is_article_citation(basis) {
                self.push(
                    file,
                    raw.basis.span().start,
                    format!("{field}: basis"),
                    format!("{basis:?} does not name an article (…第N条)"),
                );
            }
        }
        let provenance = provenance(&raw.provenance)
            .map_err(|e| self.push(file, at, format!("{field}: provenance"), e))
            .ok();
        let statutory = self.statutory(file, &format!("{field}: statutory"), &raw.statutory);
        let promised = raw
            .promised
            .as_ref()
            .and_then(|p| self.limit(file, &format!("{field}: promised"), p));
        let acceptance = raw
            .acceptance
            .as_ref()
            .and_then(|p| self.limit(file, &format!("{field}: acceptance"), p));
        if raw
            .acceptance
            .as_ref()
            .is_some_and(|a| a.get_ref().basis.is_none())
        {
            self.push(
                file,
                at,
                format!("{field}: acceptance.basis"),
                "an acceptance limit needs the article it comes from",
            );
        }
        if let (Some(StatutoryLimit::Set(statutory)), Some(promised), Some(span)) =
            (&statutory, &promised, &raw.promised)
            && !promised.fits_within(statutory)
        {
            self.push(file, span.span().start, format!("{field}: promised"), format!(
                "promises {} {:?} but the statutory limit is {} {:?}: a promise may never exceed the law",
                promised.amount, promised.unit, statutory.amount, statutory.unit
            ));
        }
        if raw.kind == ItemKind::OnTheSpot
            && promised
                .as_ref()
                .is_some_and(|p| p.unit != LimitUnit::OnTheSpot)
        {
            self.push(
                file,
                at,
                format!("{field}: promised"),
                "an on-the-spot item (kind = \"on_the_spot\") promises unit = \"on_the_spot\"",
            );
        }
        if raw.flags.fully_online && !raw.channels.get_ref().contains(&Channel::Online) {
            self.push(
                file,
                raw.channels.span().start,
                format!("{field}: flags.fully_online"),
                "a fully online item lists the \"online\" channel",
            );
        }
        let mut materials = Vec::new();
        let mut material_ids = HashSet::new();
        for m in &raw.material {
            if !material_ids.insert(m.get_ref().id.clone()) {
                self.push(
                    file,
                    m.span().start,
                    format!("{field}: material"),
                    format!("material {} is listed twice", m.get_ref().id),
                );
            }
            if let Some(material) = self.material(
                file,
                m.span().start,
                &format!("{field}: material"),
                m.get_ref(),
            ) {
                materials.push(material);
            }
        }
        let steps = self.steps(file, &field, raw, promised.as_ref());
        if self.errors.len() > errors_before {
            return None;
        }
        Some(Guide {
            item: id.clone(),
            name: raw.name.clone(),
            project: raw.project.get_ref().clone(),
            version: *raw.version.get_ref(),
            effective: effective?,
            ends,
            summary: raw.summary.clone(),
            scope: raw.scope.clone(),
            applicant: raw.applicant,
            kind: raw.kind,
            channels: {
                let mut channels = raw.channels.get_ref().clone();
                channels.sort();
                channels.dedup();
                channels
            },
            visits: raw.visits,
            basis: raw
                .basis
                .get_ref()
                .iter()
                .cloned()
                .map(LegalBasis)
                .collect(),
            conditions: raw.conditions.clone(),
            materials,
            steps,
            acceptance,
            statutory: statutory?,
            promised,
            fee: raw.fee.clone().or_else(|| self.defaults.fee.clone()),
            result: raw.result.clone(),
            delivery: raw
                .delivery
                .clone()
                .or_else(|| self.defaults.delivery.clone())
                .unwrap_or_default(),
            halls: Vec::new(),
            consultation: raw
                .consultation
                .clone()
                .or_else(|| self.defaults.consultation.clone()),
            progress_query: raw
                .progress_query
                .clone()
                .or_else(|| self.defaults.progress_query.clone()),
            complaint: raw
                .complaint
                .clone()
                .or_else(|| self.defaults.complaint.clone()),
            flags: Flags {
                cross_province: raw.flags.cross_province,
                fully_online: raw.flags.fully_online,
                proactive: raw.flags.proactive,
            },
            keywords: raw.keywords.clone(),
            change_note: raw.change_note.clone(),
            provenance: provenance?,
            // Set once the policies are read (they name the item).
            decided_by: None,
        })
    }

    fn steps(
        &mut self,
        file: usize,
        field: &str,
        raw: &RawItem,
        promised: Option<&TimeLimit>,
    ) -> Vec<Step> {
        let steps: Vec<Step> = raw
            .step
            .iter()
            .map(|s| {
                let r = s.get_ref();
                Step {
                    kind: r.kind,
                    role: r.role,
                    budget_days: r.budget,
                    budget_unit: r.unit,
                    description: r.description.clone(),
                }
            })
            .collect();
        let order = |k: StepKind| match k {
            StepKind::Accept => 0,
            StepKind::Review => 1,
            StepKind::Decide => 2,
            StepKind::Complete => 3,
        };
        if let Some(first) = raw.step.first()
            && first.get_ref().kind != StepKind::Accept
        {
            self.push(
                file,
                first.span().start,
                format!("{field}: step"),
                "the procedure starts with an `accept` step",
            );
        }
        for pair in raw.step.windows(2) {
            if order(pair[1].get_ref().kind) < order(pair[0].get_ref().kind) {
                self.push(
                    file,
                    pair[1].span().start,
                    format!("{field}: step"),
                    format!(
                        "step {:?} comes after {:?}: steps run accept, review, decide, complete",
                        pair[1].get_ref().kind,
                        pair[0].get_ref().kind
                    ),
                );
            }
        }
        if let Some(promised) = promised {
            let same_unit: u32 = steps
                .iter()
                .filter(|s| s.budget_unit == promised.unit)
                .map(|s| s.budget_days)
                .sum();
            if promised.unit != LimitUnit::OnTheSpot
                && same_unit > promised.amount
                && let Some(first) = raw.step.first()
            {
                self.push(
                    file,
                    first.span().start,
                    format!("{field}: step"),
                    format!(
                        "step budgets add up to {same_unit} {:?}, more than the promised {}",
                        promised.unit, promised.amount
                    ),
                );
            }
        }
        steps
    }

    /// Versions of one item: unique numbers, effective dates rising with the number,
    /// no overlap. An open end is closed by the next version's effective date.
    fn check_versions(
        &mut self,
        mut guides: Vec<(Guide, usize, usize)>,
    ) -> Vec<(Guide, usize, usize)> {
        guides.sort_by(|a, b| (&a.0.item, a.0.version).cmp(&(&b.0.item, b.0.version)));
        let mut by_item: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, (guide, _, _)) in guides.iter().enumerate() {
            by_item.entry(guide.item.clone()).or_default().push(i);
        }
        for indices in by_item.values() {
            for pair in indices.windows(2) {
                let (next_effective, next_version) =
                    (guides[pair[1]].0.effective, guides[pair[1]].0.version);
                let (prev, file, at) = &guides[pair[0]];
                let field = format!("item {} v{}", prev.item, prev.version);
                if prev.version == next_version {
                    // Either place may be the mistake: name both.
                    let (first_file, first_at) = (*file, *at);
                    let (file, at) = (guides[pair[1]].1, guides[pair[1]].2);
                    self.push(
                        first_file,
                        first_at,
                        field.clone(),
                        "this version number is used twice",
                    );
                    self.push(file, at, field.clone(), "this version number is used twice");
                    continue;
                }
                if next_effective <= prev.effective {
                    let (file, at) = (guides[pair[1]].1, guides[pair[1]].2);
                    self.push(
                        file,
                        at,
                        format!("item {} v{next_version}: effective", prev.item),
                        format!(
                            "{next_effective} is not after v{}'s effective date {}",
                            prev.version, prev.effective
                        ),
                    );
                    continue;
                }
                match prev.ends {
                    Some(end) if end > next_effective => {
                        let (file, at) = (*file, *at);
                        self.push(file, at, format!("{field}: ends"), format!(
                            "v{} ends {end} but v{next_version} is in force from {next_effective}: versions may not overlap",
                            prev.version
                        ));
                    }
                    Some(_) => {}
                    None => guides[pair[0]].0.ends = Some(next_effective),
                }
            }
        }
        guides
    }

    fn variants(&mut self, parsed: &Parsed, guides: &[(Guide, usize, usize)]) -> Vec<Variant> {
        let mut by_item: HashMap<&str, Vec<&Guide>> = HashMap::new();
        for (guide, _, _) in guides {
            by_item.entry(guide.item.as_str()).or_default().push(guide);
        }
        let mut out: Vec<(Variant, usize, usize)> = Vec::new();
        for (file, region_file) in &parsed.regions {
            let file = *file;
            let region = match RegionCode::parse(region_file.region.get_ref()) {
                Ok(region) => region,
                Err(e) => {
                    self.push(
                        file,
                        region_file.region.span().start,
                        "region",
                        e.to_string(),
                    );
                    continue;
                }
            };
            let default_provenance = match provenance(&region_file.provenance) {
                Ok(p) => p,
                Err(e) => {
                    self.push(file, region_file.region.span().start, "provenance", e);
                    continue;
                }
            };
            for spanned in &region_file.variant {
                let raw = spanned.get_ref();
                let at = spanned.span().start;
                let item = raw.item.get_ref();
                let field = format!("variant {item} v{} ({region})", raw.version);
                let Some(versions) = by_item.get(item.as_str()) else {
                    self.push(
                        file,
                        raw.item.span().start,
                        format!("{field}: item"),
                        format!("no service item {item:?} in the catalog"),
                    );
                    continue;
                };
                let errors_before = self.errors.len();
                let effective = self.date(file, &format!("{field}: effective"), &raw.effective);
                let ends = raw
                    .ends
                    .as_ref()
                    .and_then(|e| self.date(file, &format!("{field}: ends"), e));
                let provenance = match &raw.provenance {
                    Some(p) => provenance(p)
                        .map_err(|e| self.push(file, at, format!("{field}: provenance"), e))
                        .ok(),
                    None => Some(default_provenance.clone()),
                };
                let promised = raw
                    .promised
                    .as_ref()
                    .and_then(|p| self.limit(file, &format!("{field}: promised"), p));
                let mut add_materials = Vec::new();
                for m in &raw.add_materials {
                    if let Some(material) =
                        self.material(file, at, &format!("{field}: add_materials"), m)
                    {
                        add_materials.push(material);
                    }
                }
                let (Some(effective), Some(provenance)) = (effective, provenance) else {
                    continue;
                };
                if self.errors.len() > errors_before {
                    continue;
                }
                let variant = Variant {
                    item: item.clone(),
                    region,
                    version: raw.version,
                    effective,
                    ends,
                    promised,
                    add_materials,
                    drop_materials: raw
                        .drop_materials
                        .iter()
                        .map(|d| DroppedMaterial {
                            id: d.get_ref().id.clone(),
                            reason: d.get_ref().reason.clone(),
                        })
                        .collect(),
                    add_channels: raw.add_channels.clone(),
                    halls: if raw.halls.is_empty() {
                        region_file.halls.clone()
                    } else {
                        raw.halls.clone()
                    },
                    flags: raw.flags.map(|f| Flags {
                        cross_province: f.cross_province,
                        fully_online: f.fully_online,
                        proactive: f.proactive,
                    }),
                    change_note: raw.change_note.clone(),
                    provenance,
                };
                self.check_variant(file, at, &field, raw, &variant, versions);
                out.push((variant, file, at));
            }
        }
        self.check_variant_versions(&mut out);
        self.check_against_ancestors(&out);
        out.into_iter().map(|(v, _, _)| v).collect()
    }

    /// A variant against every national version in force while it is.
    fn check_variant(
        &mut self,
        file: usize,
        at: usize,
        field: &str,
        raw: &RawVariant,
        variant: &Variant,
        versions: &[&Guide],
    ) {
        let overlapping: Vec<&&Guide> = versions
            .iter()
            .filter(|g| {
                g.effective < variant.ends.unwrap_or(Date::MAX)
                    && variant.effective < g.ends.unwrap_or(Date::MAX)
            })
            .collect();
        if overlapping.is_empty() {
            self.push(
                file,
                at,
                format!("{field}: effective"),
                format!(
                    "no national version of {} is in force from {}",
                    variant.item, variant.effective
                ),
            );
        }
        for guide in overlapping {
            if let (Some(promised), StatutoryLimit::Set(statutory)) =
                (&variant.promised, &guide.statutory)
                && !promised.fits_within(statutory)
            {
                let at = raw.promised.as_ref().map_or(at, |p| p.span().start);
                self.push(file, at, format!("{field}: promised"), format!(
                    "promises {} {:?} but the statutory limit (v{}) is {} {:?}: a promise may never exceed the law",
                    promised.amount, promised.unit, guide.version, statutory.amount, statutory.unit
                ));
            }
            if let (Some(promised), Some(national)) = (&variant.promised, &guide.promised)
                && promised.unit == national.unit
                && promised.amount > national.amount
            {
                let at = raw.promised.as_ref().map_or(at, |p| p.span().start);
                self.push(file, at, format!("{field}: promised"), format!(
                    "promises {} but the national guide (v{}) promises {}: an implementation may only shorten a promise",
                    promised.amount, guide.version, national.amount
                ));
            }
            for drop in &raw.drop_materials {
                let d = drop.get_ref();
                let dat = drop.span().start;
                if d.reason.trim().is_empty() {
                    self.push(
                        file,
                        dat,
                        format!("{field}: drop_materials"),
                        format!("dropping {} needs a reason", d.id),
                    );
                }
                match guide.materials.iter().find(|m| m.id == d.id) {
                    None if !variant.add_materials.iter().any(|m| m.id == d.id) => self.push(
                        file,
                        dat,
                        format!("{field}: drop_materials"),
                        format!(
                            "{} is no material of {} v{}",
                            d.id, guide.item, guide.version
                        ),
                    ),
                    Some(m) if m.legal_basis.is_some() => self.push(
                        file,
                        dat,
                        format!("{field}: drop_materials"),
                        format!(
                            "{} ({}) is required by {}: no implementation may drop it",
                            m.id,
                            m.name,
                            m.legal_basis.as_ref().map_or("", |b| b.0.as_str())
                        ),
                    ),
                    _ => {}
                }
            }
            for m in &variant.add_materials {
                if guide.materials.iter().any(|g| g.id == m.id) {
                    self.push(
                        file,
                        at,
                        format!("{field}: add_materials"),
                        format!("{} is already a material of the national guide", m.id),
                    );
                }
            }
        }
    }

    fn check_variant_versions(&mut self, variants: &mut [(Variant, usize, usize)]) {
        variants.sort_by(|a, b| {
            (&a.0.item, a.0.region, a.0.version).cmp(&(&b.0.item, b.0.region, b.0.version))
        });
        for i in 1..variants.len() {
            let (prev, next) = (&variants[i - 1].0, &variants[i].0);
            if prev.item != next.item || prev.region != next.region {
                continue;
            }
            let field = format!("variant {} v{} ({})", next.item, next.version, next.region);
            let (file, at) = (variants[i].1, variants[i].2);
            if prev.version == next.version {
                // Either place may be the mistake: name both.
                let (prev_file, prev_at) = (variants[i - 1].1, variants[i - 1].2);
                self.push(
                    prev_file,
                    prev_at,
                    field.clone(),
                    "this version number is used twice",
                );
                self.push(file, at, field, "this version number is used twice");
            } else if next.effective <= prev.effective {
                self.push(
                    file,
                    at,
                    format!("{field}: effective"),
                    format!(
                        "{} is not after v{}'s {}",
                        next.effective, prev.version, prev.effective
                    ),
                );
            } else if prev.ends.is_some_and(|end| end > next.effective) {
                self.push(
                    file,
                    at,
                    format!("{field}: effective"),
                    format!(
                        "v{} is still in force on {}: versions may not overlap",
                        prev.version, next.effective
                    ),
                );
            } else if prev.ends.is_none() {
                let effective = next.effective;
                variants[i - 1].0.ends = Some(effective);
            }
        }
    }

    /// A lower level may only shorten what a higher level promises.
    fn check_against_ancestors(&mut self, variants: &[(Variant, usize, usize)]) {
        for (variant, file, at) in variants {
            let Some(promised) = &variant.promised else {
                continue;
            };
            for ancestor in variant.region.ancestors() {
                let above = variants.iter().find(|(v, _, _)| {
                    v.item == variant.item && v.region == ancestor && v.in_force(variant.effective)
                });
                if let Some((above, _, _)) = above
                    && let Some(theirs) = &above.promised
                    && theirs.unit == promised.unit
                    && promised.amount > theirs.amount
                {
                    self.push(*file, *at, format!("variant {} v{} ({}): promised", variant.item, variant.version, variant.region), format!(
                        "promises {} but {} {} promises {}: a lower level may only shorten a promise",
                        promised.amount, ancestor, ancestor.name(), theirs.amount
                    ));
                }
            }
        }
    }
}

fn extension(raw: &RawExtension) -> Extension {
    Extension {
        amount: raw.amount,
        unit: raw.unit,
        condition: raw.condition.clone(),
        approver: raw.approver.clone(),
    }
}
