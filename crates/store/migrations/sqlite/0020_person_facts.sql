-- The insured persons as the social-insurance and card registers export them: what a
-- rule that decides a person's application reads (智能审批). A re-import of the same
-- rows changes nothing.
CREATE TABLE fact_persons (
    person    TEXT PRIMARY KEY,
    region    TEXT NOT NULL,
    status    TEXT NOT NULL,
    ui_months BIGINT NOT NULL,
    card      TEXT NOT NULL
) WITHOUT ROWID;
-- Skill certificates from the certification register (技能提升补贴 reads them).
CREATE TABLE fact_certificates (
    certificate TEXT PRIMARY KEY,
    person      TEXT NOT NULL,
    occupation  TEXT NOT NULL,
    level       BIGINT NOT NULL,
    issued_on   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX fact_certificates_by_person ON fact_certificates (person);
CREATE INDEX fact_certificates_by_day ON fact_certificates (issued_on);
