// Package demo generates a deterministic, realistic demo network of Italian
// social cooperatives as the files their software would hand over: one file
// per dataset of datasets.md for the whole network (a hub bulk upload),
// listed in load order in the Manifest. Nothing is loaded here; the files go
// through the normal ingestion path.
//
// # Files
//
// Semicolon-delimited CSV with Italian values (money "1.234.567,89", dates
// DD/MM/YYYY, hours months MM/YYYY, "sì"/"no" and "x"/"" booleans, contract
// types "indeterminato"/"determinato"/…), headers with the contract's Italian
// aliases where it lists them and canonical names otherwise. workers and
// finance are Windows-1252 with CRLF (finance has the header
// "disponibilità_liquide", workers the value "sì"); beneficiaries is UTF-8
// with a BOM; the rest UTF-8. cooperatives and certifications are XLSX
// (excelize) with a title row above the header and real Excel dates. No
// person's name is written anywhere: people are fake codici fiscali (random
// letter block, birth year and sex as in the row, a real Belfiore code, a
// correct check character), cooperatives fake partite IVA (11 digits, valid
// check digit), both unique across the network.
//
// # Model
//
//   - Network: types by quota A 45 %, B 35 %, AB 8 %, consortium 5 %, worker
//     4 %, other 3 %; regions by quota on ISTAT 2023 counts of social
//     cooperatives; the seat is an ISTAT municipality of the region drawn by
//     population; 40 % of each type in the cohort (CohortStart).
//   - Size: log-normal headcount (median 22 on 1 Jan of YearFrom, σ 0.85),
//     scaled by the region's employees per cooperative and by type; at least
//     one (Coops/60) cooperative above 250 when Coops ≥ 40; growth about
//     2 %/year.
//   - Workers: monthly simulation of employment spells: hires to the target
//     headcount (22 % permanent, 60 % fixed-term), exits by hazard (voluntary,
//     to_external_job, involuntary, retirement), fixed terms converted,
//     renewed or ended (end_of_term). A conversion is a new spell starting the
//     day after; the earlier spell has an end date and no exit reason. Spells
//     still running on 31 Dec of YearTo have no end date. About 75 % permanent
//     and 60 % members on the last day; FTE = weekly hours/38 (0.5–1, written
//     as percentuale_part_time); FTE pay 20–60 k€ by role, men ~9 % more
//     within role (overall gap ~5 %). B/AB cooperatives steer toward a
//     disadvantaged share of 36–46 %, ~15 % of them toward 18–27 % (fails).
//   - Hours: per person and month FTE × 140 h × season, split into 2–4
//     activity rows by role. The admin share (admin_hr + admin_accounting +
//     admin_reporting) is held at the cooperative's own 16–26 % (consortia
//     24–30 %) whatever the staff mix; course hours from trainings appear as
//     "training", home-care staff log "travel".
//   - Finance: personnel cost from the roster (gross × FTE × 1.30); value of
//     production = personnel ÷ a type-specific ratio (A 66–79 %, B 52–65 %),
//     ~40–45 k€ per worker; margin around a cooperative mean within
//     −5 %…+6 %; balance sheet, public receivables consistent with
//     revenue_sources (public-heavy for A, companies for B, members for
//     consortia; slower PA payment in the South).
//   - People served: caseload sized to direct-service capacity per service
//     type (home care, day centre, residential, school support, family support,
//     work integration), stays, waiting times, fragility flags typical of
//     the service, municipalities of the seat's province; monthly service
//     hours; a short waiting list with no intake date; yearly survey (four
//     0–10 items incl. "nps", family members answer for minors and
//     non-self-sufficient people).
//   - Processes: eight processes with digitisation levels 0–3 rising over
//     time; certifications in 3-, 2- or 5-year cycles; DigComp self-assessment
//     T0 (Nov of CohortStart−1 – Feb) and T1 (autumn of YearTo) for a sample of
//     staff, 21 competences, levels 1–8; DMA answers T0 (Q1 of CohortStart)
//     and T1 (Q4 of YearTo) for every cooperative with the items of
//     DMAQuestions; assemblies and 4–12 board meetings a year; targets.
//
// # Programme effect
//
// From CohortStart on, cohort cooperatives truly improve more than the rest
// (constants in demo.go): DMA T1−T0 +15…25 points vs +0…5 (answers only ever
// added, so T1 ⊇ T0); the admin-hours share falls by 5–8 points, phased in
// over 18 months, vs no trend; DigComp latent level +1.0 vs +0.2; digital
// courses for 70 % vs 12 % of staff a year; processes move up a level with
// 45 % vs 7 % chance a year; digital investment 0.8–2.5 % vs 0.05–0.4 % of the
// value of production. ECO-01 operating margin is NOT affected
// (ProgrammeNeutralIndicator): its difference in differences is 0 by
// construction, so an estimate's interval should include zero.
//
// # Determinism and size
//
// Every random draw comes from the package's own splitmix64 streams, one per
// (seed, dataset, cooperative); the same Options give byte-identical files,
// XLSX included. The default network (120 cooperatives, 2019–2025, seed 1)
// takes about 1 s on a 2-core box and ~100 MB on disk:
//
//	cooperatives 120, workers 18,269 spells (5,161 on 31 Dec 2025),
//	hours 1,038,871, finance 840, revenue_sources 6,489,
//	beneficiaries 27,526, services 443,973, processes 6,643,
//	certifications 363, trainings 51,496, skills_assessments 64,113,
//	dma_responses 20,640, surveys 28,400, governance_meetings 7,931,
//	targets 113.
//
// HoursCSV writes a standalone hours file of any length in the same layout
// (for benchmarks, e.g. 5 million rows).
package demo
