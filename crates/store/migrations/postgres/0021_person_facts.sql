-- The insured persons as the social-insurance and card registers export them: what a
-- rule that decides a person's application reads (智能审批). A re-import of the same
-- rows changes nothing.
CREATE TABLE fact_persons (
    person    TEXT PRIMARY KEY,
    region    TEXT NOT NULL,
    status    TEXT NOT NULL,
    ui_months BIGINT NOT NULL,
    card      TEXT NOT NULL
);
