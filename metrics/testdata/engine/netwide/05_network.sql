-- A fact of the whole network, with no coop_id: the latest year of accounts.
CREATE OR REPLACE TEMP VIEW m_latest_accounts AS SELECT max(year) AS year FROM finance;
