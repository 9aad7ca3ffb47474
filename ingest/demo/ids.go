package demo

import "strconv"

// cfMonth is the codice fiscale month letter table (A=Jan ... T=Dec).
const cfMonth = "ABCDEHLMPRST"

// cfOdd is the value of a character in an odd (1st, 3rd, ...) position for
// the check character; digits map like the letter of the same index.
var cfOdd = [26]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}

// cfCheck returns the check character of the first 15 characters of a
// codice fiscale (DM 23/12/1976 algorithm).
func cfCheck(s string) byte {
	sum := 0
	for i := 0; i < 15; i++ {
		ch := s[i]
		v := 0
		if ch >= '0' && ch <= '9' {
			v = int(ch - '0')
		} else {
			v = int(ch - 'A')
		}
		if i%2 == 0 { // 1-based odd position
			sum += cfOdd[v]
		} else {
			sum += v
		}
	}
	return byte('A' + sum%26)
}

// consonant-heavy alphabet so the 6-letter prefix looks like the coded
// surname/name block without ever being derived from a real name.
const cfConsonants = "BCDFGLMNPRSTVZ"
const cfAll = "ABCDEFGHILMNOPRSTUVZ"

// fakeCF builds a plausible, valid-looking codice fiscale for a made-up
// person: random letter block, the given birth year and sex, a random birth
// day, a Belfiore code, and the correct check character.
func fakeCF(r *rng, birthYear int, female bool, belfiore string) string {
	b := make([]byte, 0, 16)
	for i := 0; i < 6; i++ {
		if i == 1 || i == 4 {
			b = append(b, cfAll[r.intn(len(cfAll))])
		} else {
			b = append(b, cfConsonants[r.intn(len(cfConsonants))])
		}
	}
	yy := ((birthYear % 100) + 100) % 100
	b = append2(b, yy)
	m := r.intn(12)
	b = append(b, cfMonth[m])
	dd := 1 + r.intn(daysIn(birthYear, m+1))
	if female {
		dd += 40
	}
	b = append2(b, dd)
	b = append(b, belfiore...)
	b = append(b, cfCheck(string(b)))
	return string(b)
}

// pivaCheck returns the check digit of the first 10 digits of a partita IVA.
func pivaCheck(s string) byte {
	sum := 0
	for i := 0; i < 10; i++ {
		v := int(s[i] - '0')
		if i%2 == 1 { // even 1-based positions are doubled
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return byte('0' + (10-sum%10)%10)
}

// fakePIVA builds an 11-digit partita IVA: 7-digit serial, a provincial
// office code 001–100, and the check digit.
func fakePIVA(r *rng) string {
	b := make([]byte, 0, 11)
	serial := strconv.Itoa(1 + r.intn(9999999))
	for i := len(serial); i < 7; i++ {
		b = append(b, '0')
	}
	b = append(b, serial...)
	office := 1 + r.intn(100)
	b = append(b, byte('0'+office/100), byte('0'+office/10%10), byte('0'+office%10))
	b = append(b, pivaCheck(string(b)))
	return string(b)
}

// idSet hands out unique identifiers across the whole network.
type idSet map[string]struct{}

func (s idSet) claim(gen func() string) string {
	for {
		id := gen()
		if _, dup := s[id]; !dup {
			s[id] = struct{}{}
			return id
		}
	}
}
