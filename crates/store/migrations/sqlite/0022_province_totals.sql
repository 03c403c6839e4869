-- Each county's running totals also count toward its province (`…|province|…`,
-- `…|province_item|…`) and each case total toward its item across the country
-- (`cases|item|…`), added by the engine as events are committed from now on. This
-- adds the same to the totals kept before, once, from the county lines: the keys are
-- `<family>|region|YYYY-MM|<6 digits>` and `<family>|area_item|YYYY-MM|<6 digits>|<item>`.

INSERT INTO counters (key, name, value)
SELECT 'cases|province|' || substr(key, 14, 8) || substr(key, 22, 2) || '0000', name, SUM(value)
FROM counters
WHERE key LIKE 'cases|region|%' AND length(key) = 27
GROUP BY 1, 2;

INSERT INTO counters (key, name, value)
SELECT 'ratings|province|' || substr(key, 16, 8) || substr(key, 24, 2) || '0000', name, SUM(value)
FROM counters
WHERE key LIKE 'ratings|region|%' AND length(key) = 29
GROUP BY 1, 2;

INSERT INTO counters (key, name, value)
SELECT 'halls|province|' || substr(key, 14, 8) || substr(key, 22, 2) || '0000', name, SUM(value)
FROM counters
WHERE key LIKE 'halls|region|%' AND length(key) = 27
GROUP BY 1, 2;

INSERT INTO counters (key, name, value)
SELECT 'cases|province_item|' || substr(key, 17, 8) || substr(key, 25, 2) || '0000' || substr(key, 31), name, SUM(value)
FROM counters
WHERE key LIKE 'cases|area_item|%' AND substr(key, 31, 1) = '|'
GROUP BY 1, 2;

INSERT INTO counters (key, name, value)
SELECT 'ratings|province_item|' || substr(key, 19, 8) || substr(key, 27, 2) || '0000' || substr(key, 33), name, SUM(value)
FROM counters
WHERE key LIKE 'ratings|area_item|%' AND substr(key, 33, 1) = '|'
GROUP BY 1, 2;

INSERT INTO counters (key, name, value)
SELECT 'cases|item|' || substr(key, 17, 8) || substr(key, 32), name, SUM(value)
FROM counters
WHERE key LIKE 'cases|area_item|%' AND substr(key, 31, 1) = '|'
GROUP BY 1, 2;
