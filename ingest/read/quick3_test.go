package read

import (
	"os"
	"testing"
	"unicode/utf8"
)

var hoursData, _ = os.ReadFile("/tmp/hours.csv")

func BenchmarkQScan(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sc := newCSVScanner(';', func(r *csvRecord) bool { return true })
		for off := 0; off < len(hoursData); off += scanChunkSize {
			sc.feed(hoursData[off:min(off+scanChunkSize, len(hoursData))])
		}
		sc.finish()
	}
}
func BenchmarkQUTF8(b *testing.B) {
	for i := 0; i < b.N; i++ {
		utf8.Valid(hoursData)
	}
}
