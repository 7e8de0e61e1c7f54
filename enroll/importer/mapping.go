package importer

import (
	"fmt"
	"strings"
	"unicode"
)

// Field is the person field a column of the file holds.
type Field string

// The fields a column can map to; Ignore leaves the column out.
const (
	Ignore      Field = ""
	Key         Field = "key"
	GivenName   Field = "given_name"
	FamilyName  Field = "family_name"
	Card        Field = "card"
	Department  Field = "department"
	AccessGroup Field = "access_group"
	ValidFrom   Field = "valid_from"
	ValidUntil  Field = "valid_until"
)

// Fields are the fields a column can map to, in the form's order, Ignore first.
func Fields() []Field {
	return []Field{Ignore, Key, GivenName, FamilyName, Card, Department, AccessGroup, ValidFrom, ValidUntil}
}

// headerNames are the header texts each field is guessed from, folded as fold does.
func headerNames() map[Field][]string {
	return map[Field][]string{
		Key: {"key", "personkey", "id", "personid", "userid", "employeeid", "employeeno", "employeenumber", "staffid",
			"キー", "個人キー", "ユーザーid", "社員番号", "職員番号", "従業員番号", "社員id"},
		GivenName: {"givenname", "firstname", "given", "first", "forename", "名", "下の名前", "名前名"},
		FamilyName: {"familyname", "lastname", "surname", "family", "last", "姓", "苗字", "名字", "氏",
			"名前姓"},
		Card:        {"card", "cardnumber", "cardno", "cardid", "badge", "badgenumber", "カード", "カード番号", "カードno", "icカード番号"},
		Department:  {"department", "dept", "division", "部署", "部門", "所属", "部署名"},
		AccessGroup: {"accessgroup", "group", "accessgroups", "アクセスグループ", "グループ", "入室グループ"},
		ValidFrom:   {"validfrom", "from", "start", "startdate", "有効開始日", "開始日", "有効期間開始", "利用開始日"},
		ValidUntil:  {"validuntil", "until", "end", "enddate", "expires", "expiry", "有効終了日", "終了日", "有効期限", "有効期間終了", "利用終了日"},
	}
}

// fold is a header as compared: lower case, without spaces, punctuation or full-width
// forms' differences that do not change the word.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'Ａ' && r <= 'ｚ' { // full-width Latin letters, as Japanese spreadsheets often hold
			r = unicode.ToLower(r - 'Ａ' + 'A')
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Mapping is the field each column of the file holds, by column index.
type Mapping []Field

// GuessMapping maps each header to the field its name says, each field at most once (the
// first column naming it); other columns are ignored.
func GuessMapping(header []string) Mapping {
	byName := map[string]Field{}
	for f, names := range headerNames() {
		for _, n := range names {
			byName[n] = f
		}
	}
	m := make(Mapping, len(header))
	taken := map[Field]bool{}
	for i, h := range header {
		if f, ok := byName[fold(h)]; ok && !taken[f] {
			m[i], taken[f] = f, true
		}
	}
	return m
}

// Check reports what keeps the mapping from being imported: a field on two columns, no
// key (a list without keys would add everyone again on each import), no name.
func (m Mapping) Check() error {
	seen := map[Field]int{}
	for i, f := range m {
		if f == Ignore {
			continue
		}
		if j, ok := seen[f]; ok {
			return fmt.Errorf("%w: columns %d and %d both map to %s", ErrMapping, j+1, i+1, f)
		}
		seen[f] = i
	}
	if _, ok := seen[Key]; !ok {
		return fmt.Errorf("%w: no column maps to the key", ErrMapping)
	}
	_, given := seen[GivenName]
	_, family := seen[FamilyName]
	if !given && !family {
		return fmt.Errorf("%w: no column maps to the given or the family name", ErrMapping)
	}
	return nil
}
