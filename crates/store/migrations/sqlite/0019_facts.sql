-- Facts imported from the systems that hold them (免申即享 reads them): employers,
-- their monthly unemployment-insurance contributions, and new benefit claimants per
-- year. Money in cents. A re-import of the same rows changes nothing.
CREATE TABLE fact_employers (
    uscc   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    region TEXT NOT NULL,
    size   TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE fact_employer_months (
    uscc       TEXT NOT NULL,
    month      TEXT NOT NULL,
    insured    BIGINT NOT NULL,
    due_cents  BIGINT NOT NULL,
    paid_cents BIGINT NOT NULL,
    PRIMARY KEY (uscc, month)
) WITHOUT ROWID;
CREATE TABLE fact_claimants (
    uscc          TEXT NOT NULL,
    year          BIGINT NOT NULL,
    new_claimants BIGINT NOT NULL,
    PRIMARY KEY (uscc, year)
) WITHOUT ROWID;
