package catalog
import "testing"
func BenchmarkParse(b *testing.B){ for i:=0;i<b.N;i++ { if _,err:=Parse(embedded);err!=nil{b.Fatal(err)} } }
