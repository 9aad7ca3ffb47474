-- A local shared macro, run after the embedded shared files.
CREATE OR REPLACE TEMP MACRO m_thousands(x) AS x / 1000;
