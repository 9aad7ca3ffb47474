package catalog

import "sort"

// headerTarget is what a normalised header maps to inside one dataset.
type headerTarget struct {
	col     *Column
	prio    int // 0 = canonical name, i+1 = i-th alias: lower wins when two headers match one column
	scale   float64
	percent bool
}

// Match is how an input header row maps onto a dataset's columns.
type Match struct {
	Columns  map[string]int     // contract column -> index of the input column
	Scale    map[string]float64 // contract column -> factor applied to the value read; absent = 1
	Percent  map[string]bool    // contract column -> the input is a percentage ("75%" reads 75)
	Unknown  []string           // input headers matching no column (ignored, reported)
	NameLike []string           // input headers that look like people's names (dropped, reported)
	Missing  []string           // required columns not found, in catalogue order, except coop_id
	// CoopIDMissing: coop_id is required and not in the file; the upload's context (the
	// uploader's cooperative or --coop) must supply it, otherwise the file is refused.
	CoopIDMissing bool
	// Ambiguous: pairs {contract column, input header} of headers ignored because another
	// header already supplies that column (the canonical name beats aliases, then alias order,
	// then the leftmost header).
	Ambiguous [][2]string
}

// ScaleOf is the factor for a column's values (1 when none applies).
func (m Match) ScaleOf(column string) float64 {
	if f, ok := m.Scale[column]; ok {
		return f
	}
	return 1
}

// OK reports whether the file can be loaded as far as headers go (coop_id aside).
func (m Match) OK() bool { return len(m.Missing) == 0 }

// MatchHeaders maps input headers onto the dataset's columns by canonical name or alias,
// both normalised with NormalizeHeader. Columns of the dataset win over name-like detection
// (cooperatives.name is a cooperative's name, not a person's). Empty headers are skipped.
func (d *Dataset) MatchHeaders(headers []string) Match {
	m := Match{Columns: map[string]int{}, Scale: map[string]float64{}, Percent: map[string]bool{}}
	type pick struct {
		idx int
		t   headerTarget
	}
	chosen := map[string]pick{}
	for i, h := range headers {
		k := NormalizeHeader(h)
		if k == "" {
			continue
		}
		t, ok := d.index[k]
		if !ok {
			if d.cat.nameLike[k] {
				m.NameLike = append(m.NameLike, h)
			} else {
				m.Unknown = append(m.Unknown, h)
			}
			continue
		}
		name := t.col.Name
		if cur, seen := chosen[name]; seen {
			if t.prio < cur.t.prio {
				m.Ambiguous = append(m.Ambiguous, [2]string{name, headers[cur.idx]})
				chosen[name] = pick{i, t}
			} else {
				m.Ambiguous = append(m.Ambiguous, [2]string{name, h})
			}
			continue
		}
		chosen[name] = pick{i, t}
	}
	for name, p := range chosen {
		m.Columns[name] = p.idx
		if p.t.scale != 1 {
			m.Scale[name] = p.t.scale
		}
		if p.t.percent {
			m.Percent[name] = true
		}
	}
	for _, col := range d.Columns {
		if !col.Required {
			continue
		}
		if _, ok := m.Columns[col.Name]; ok {
			continue
		}
		if col.Name == "coop_id" {
			m.CoopIDMissing = true
			continue
		}
		m.Missing = append(m.Missing, col.Name)
	}
	return m
}

// HeaderScore counts the distinct columns the cells name; readers use it to find the header
// row below title rows (the row with the highest score).
func (d *Dataset) HeaderScore(cells []string) int {
	seen := map[*Column]bool{}
	for _, c := range cells {
		if t, ok := d.index[NormalizeHeader(c)]; ok {
			seen[t.col] = true
		}
	}
	return len(seen)
}

// Candidate is one dataset's fit to a header row.
type Candidate struct {
	Dataset *Dataset
	Score   int // distinct columns matched
	Missing int // required columns not matched (coop_id excluded: it may come from context)
}

// Rank orders the datasets by fit to a header row: most columns matched, then fewest
// required columns missing, then catalogue order. Datasets matching nothing are left out.
func (c *Catalog) Rank(headers []string) []Candidate {
	var out []Candidate
	for _, d := range c.Datasets {
		m := d.MatchHeaders(headers)
		if len(m.Columns) == 0 {
			continue
		}
		out = append(out, Candidate{Dataset: d, Score: len(m.Columns), Missing: len(m.Missing)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Missing < out[j].Missing
	})
	return out
}

// Detect picks the dataset a header row belongs to, with its score. It returns nil when no
// column matches or when the best two candidates tie on score and missing columns
// (ambiguous: the user must name the dataset).
func (c *Catalog) Detect(headers []string) (*Dataset, int) {
	r := c.Rank(headers)
	if len(r) == 0 {
		return nil, 0
	}
	if len(r) > 1 && r[0].Score == r[1].Score && r[0].Missing == r[1].Missing {
		return nil, r[0].Score
	}
	return r[0].Dataset, r[0].Score
}
