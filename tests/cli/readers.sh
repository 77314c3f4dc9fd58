# Hostile input for the YAML / JSON / JSON Lines readers (issue 8, part 1).
# Sourced by tests/cli/run (uses its ok, ko, fails, $HOJO, $I and $tmp).
# Every hostile file is written here with printf; every command runs under
# 'timeout 10' (a hang fails instead of blocking) and, where memory was the
# defect, under a virtual memory limit (exit 3 メモリ不足 is then the only
# acceptable out-of-memory answer). The bounds are in docs/cli.md ("Bounds").

# bounded KB CMD...: CMD with at most KB kilobytes of virtual memory, 10 s
bounded() {
	kb=$1
	shift
	(ulimit -v "$kb" 2>/dev/null; exec timeout 10 "$@")
}
H=$tmp/hostile
mkdir -p "$H"

# libfyaml 0.7.12 loops forever on a byte 0x80-0xFF after '%' (its directive
# scanner): every reader refuses bytes that are not UTF-8 before libfyaml
# sees them -- check, test, rules --rules and batch JSON Lines
printf '%%\206' >"$H/pct.yaml"
fails hang-check 1 "pct.yaml:1:2: 値に UTF-8 の文字として読めないバイト（0x86）" timeout 10 "$HOJO" check "$H/pct.yaml"
fails hang-test 1 "pct.yaml:1:2: 値に UTF-8 の文字として読めないバイト（0x86）" timeout 10 "$HOJO" test "$H/pct.yaml"
printf '{"applicant": {"capital": 1000}}\n%%\206\n' >"$H/pct.jsonl"
fails hang-batch 1 "pct.jsonl:2:2: 値に UTF-8 の文字として読めないバイト（0x86）" timeout 10 "$HOJO" batch "$H/pct.jsonl"
fails hang-batch-summary 1 "pct.jsonl:2:2: .*UTF-8" timeout 10 "$HOJO" batch "$H/pct.jsonl" --summary
mkdir -p "$H/rb-pct"
cp -r rules/. "$H/rb-pct/"
printf '%%\206' >"$H/rb-pct/zz.yaml"
fails hang-rules 2 "zz.yaml:1:2: 値に UTF-8 の文字として読めないバイト（0x86）" timeout 10 "$HOJO" rules --rules "$H/rb-pct"
# the wider hang the fuzzers found: a '%' line with invalid UTF-8 further
# on, or on a later line of the file (libfyaml's directive scanner)
printf '%% a\345\244o\n' >"$H/pct2.yaml"
fails hang-pct-later-byte 1 "pct2.yaml:1:4: 値に UTF-8 の文字として読めないバイト（0xE5）" timeout 10 "$HOJO" check "$H/pct2.yaml"
printf 'a: 1\n%%\206\n' >"$H/pct3.yaml"
fails hang-pct-second-line 1 "pct3.yaml:2:2: テキストに UTF-8 の文字として読めないバイト（0x86）" timeout 10 "$HOJO" check "$H/pct3.yaml"
# a directive in valid UTF-8 is refused too (libfyaml scans one at any line start)
printf 'applicant:\n  capital: 1000\n%%\303\251\n' >"$H/pct2.yaml"
fails directive-utf8 1 "pct2.yaml:3:1: 行頭の %（YAML のディレクティブ）は使えません" timeout 10 "$HOJO" check "$H/pct2.yaml"
printf '%%YAML 1.2\n---\napplicant: {capital: 1000}\n' >"$H/pct3.yaml"
fails directive-yaml 1 "pct3.yaml:1:1: 行頭の %" timeout 10 "$HOJO" check "$H/pct3.yaml"

# libfyaml 0.7.12 crashes (SEGV in fy_parse_cleanup) on an explicit key in
# block context followed by a tab and an indicator ('? p:<TAB>?'; found by
# fuzz_rulebook, minimised): explicit keys are refused before libfyaml,
# also when a bad byte elsewhere makes the reader parse the text again to
# name the field
printf '? p:\t?' >"$H/qkey.yaml"
fails crash-explicit-key 1 "qkey.yaml:1:1: 行頭の「? 」（YAML の明示的なキー）は使えません" timeout 10 "$HOJO" check "$H/qkey.yaml"
printf 'applicant:\n  - ? p:\t|\n' >"$H/qkey2.yaml"
fails crash-explicit-key-nested 1 "qkey2.yaml:2:5: 行頭の「? 」" timeout 10 "$HOJO" check "$H/qkey2.yaml"
printf 'applicant:\n  capital: 1000\377\n? p:\t?\n' >"$H/qkey3.yaml"
fails crash-explicit-key-bad-byte 1 "qkey3.yaml:2:16: テキストに UTF-8 の文字として読めないバイト（0xFF）" timeout 10 "$HOJO" check "$H/qkey3.yaml"
mkdir -p "$H/rb-qkey"
cp -r rules/. "$H/rb-qkey/"
printf 'k:\n  ? p:\t?\n' >"$H/rb-qkey/zz.yaml"
fails crash-explicit-key-rules 2 "zz.yaml:2:3: 行頭の「? 」" timeout 10 "$HOJO" rules --rules "$H/rb-qkey"
# libfyaml 0.7.12 crashes displaying some errors (fy_diag_error_atom_display:
# a multi-line plain key after long runs of tabs; found by fuzz_plan,
# minimised): the second parse that names the field of a bad byte collects
# its errors like the first
t39=$(printf '\t%.0s' $(seq 39))
t100=$(printf '\t%.0s' $(seq 100))
printf 'c%slhor)inaty: 1\n%ssimp\345\204ty:' "$t39" "$t100" >"$H/diag.yaml"
fails crash-diag-display 1 "diag.yaml:2:105: テキストに UTF-8 の文字として読めないバイト（0xE5）" timeout 10 "$HOJO" check "$H/diag.yaml"
# a lone CR breaks lines too (libfyaml reads '? ' after it as an explicit
# key: found by fuzz_expenses)
printf 'applicant:\r? p:\t?\r' >"$H/qkey5.yaml"
fails crash-explicit-key-cr 1 "qkey5.yaml:1:12: 行頭の「? 」" timeout 10 "$HOJO" check "$H/qkey5.yaml"
# a '?' that is not an explicit key is a plain character, as before
printf 'applicant:\n  name: "? a"\n  capital: 1000\n' >"$H/qkey4.yaml"
if timeout 10 "$HOJO" check "$H/qkey4.yaml" >"$H/qkey4.out" 2>&1; then ok; else ko "question mark in a value: $(head -c 300 "$H/qkey4.out")"; fi

# billion laughs (10 levels x 10 aliases): an input may have no anchor or alias
{
	printf 'a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n'
	for i in 1 2 3 4 5 6 7 8 9; do
		p=$((i - 1))
		printf 'a%d: &a%d [*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d]\n' $i $i $p $p $p $p $p $p $p $p $p $p
	done
} >"$H/bomb.yaml"
fails alias-bomb-input 1 "bomb.yaml:1:5: a0: 入力にはアンカー（&）と別名（\*）は書けません" \
	bounded 1000000 "$HOJO" check "$H/bomb.yaml"
printf 'applicant:\n  capital: 1000\n  employees: *x\n' >"$H/alias.yaml"
fails alias-input 1 "alias.yaml:3:14: applicant.employees: 入力にはアンカー" "$HOJO" check "$H/alias.yaml"
printf '{"applicant": {"capital": 1000}}\n{"applicant": {"capital": &a 1000}}\n' >"$H/alias.jsonl"
fails alias-jsonl 1 "alias.jsonl:2:27: YAML/JSON として読めません: anchor not supported in JSON mode" \
	"$HOJO" batch "$H/alias.jsonl"
# a rulebook may use anchors (rules/ does) but not expand past 100,000 nodes
mkdir -p "$H/rb-bomb"
cp -r rules/. "$H/rb-bomb/"
cp "$H/bomb.yaml" "$H/rb-bomb/zz-bomb.yaml"
fails alias-bomb-rulebook 2 "zz-bomb.yaml:5:38: a4\[7\]\[0\]\[7\]\[0\]\[3\]: 別名（\*）の展開を含めて要素が多すぎます（1ファイル 100,000 要素まで）" \
	bounded 1000000 "$HOJO" rules --rules "$H/rb-bomb"

# out of memory is exit 3 メモリ不足, never "cannot read the input": a
# 1,000,000-byte list (the most an input may be) under a 50 MB limit
awk 'BEGIN { for (i = 0; i < 250000; i++) print "- 1" }' >"$H/list.yaml"
fails out-of-memory 3 "hojo: メモリ不足: .*list.yaml: メモリが足りません" bounded 50000 "$HOJO" check "$H/list.yaml"
# one input file is at most 1 MiB
awk 'BEGIN { for (i = 0; i < 270000; i++) print "- 1" }' >"$H/big.yaml"
fails input-too-big 1 "big.yaml: ファイルが大きすぎます（1MiB = 1,048,576 バイト まで）" "$HOJO" check "$H/big.yaml"

# silently accepted before: an invalid UTF-8 key (the rest of the mapping
# was dropped), a NUL in a quoted amount (100円), a second document, JSON
# with trailing commas, loose month keys
printf 'applicant:\n  capital: 1000\n  \377\376emp: 3\n  employees: 5\n' >"$H/key.yaml"
fails utf8-key 1 "key.yaml:3:3: applicant: 項目名に UTF-8 の文字として読めないバイト（0xFF）" "$HOJO" check "$H/key.yaml"
printf 'applicant:\n  capital: "100\\0 0"\n' >"$H/nul.yaml"
fails nul-escape 1 "nul.yaml:2:13: applicant.capital: NUL 文字（\\\\0）は書けません" "$HOJO" check "$H/nul.yaml"
printf 'applicant:\n  capital: 100\0000\n' >"$H/nulbyte.yaml"
fails nul-byte 1 "nulbyte.yaml:2:15: applicant.capital: 値に NUL 文字（0x00）は書けません" "$HOJO" check "$H/nulbyte.yaml"
printf 'applicant:\n  capital: 1000\n---\napplicant:\n  employees: 3\n' >"$H/two.yaml"
fails second-document 1 "two.yaml:3:1: YAML の文書が二つ以上あります" "$HOJO" check "$H/two.yaml"
printf '# cases\n---\ncases: []\n---\ncases: []\n' >"$H/two-cases.yaml"
fails second-document-test 1 "two-cases.yaml:4:1: YAML の文書が二つ以上あります" "$HOJO" test "$H/two-cases.yaml"
printf '{"applicant": {"capital": 1000,}}\n' >"$H/comma.json"
fails json-trailing-comma 1 "comma.json:1:31: YAML/JSON として読めません: JSON disallows trailing comma before closing brace" \
	"$HOJO" check "$H/comma.json"
printf '{"applicant": {"capital": 1000}}\n\n{"applicant": {"employees": [1,]}}\n' >"$H/comma.jsonl"
fails jsonl-trailing-comma 1 "comma.jsonl:3:31: YAML/JSON として読めません: JSON disallows trailing comma before closing bracket" \
	"$HOJO" batch "$H/comma.jsonl"
cp "$H/comma.jsonl" "$H/comma.txt"
fails jsonl-format-trailing-comma 1 "comma.txt:3:31: .*trailing comma" "$HOJO" batch "$H/comma.txt" --input-format jsonl
printf 'applicant:\n  monthly_sales: {2019-+1: 100万円}\n' >"$H/month1.yaml"
fails month-sign 1 "month1.yaml:2:19: applicant.monthly_sales: 月は YYYY-MM か 2019年10月 の形" "$HOJO" check "$H/month1.yaml"
printf 'applicant:\n  monthly_sales: {" 2019-2": 100万円}\n' >"$H/month2.yaml"
fails month-space 1 "month2.yaml:2:20: applicant.monthly_sales: 月は YYYY-MM か 2019年10月 の形（2000-01〜2039-12）で書いてください: ' 2019-2'" \
	"$HOJO" check "$H/month2.yaml"

# positions are exact: '@' is line 3, column 6; in JSON Lines the bad
# record is line 2 (it was line 3, column 33)
printf 'applicant:\n  capital: 1000\n  x: @foo\n' >"$H/at.yaml"
fails position-yaml 1 "at.yaml:3:6: YAML/JSON として読めません: plain scalar cannot start with '@'" "$HOJO" check "$H/at.yaml"
printf '{"applicant": {"capital": 1000}}\n{"applicant": {"capital": 1000,, "employees": 3}}\n' >"$H/pos.jsonl"
fails position-jsonl 1 "pos.jsonl:2:32: YAML/JSON として読めません" "$HOJO" batch "$H/pos.jsonl"

# a JSON Lines line is read with a bound: a 300 MB line under a 150 MB
# limit is reported (line 1) and the next record is still read
{
	printf '{"applicant": {"name": "'
	head -c 300000000 /dev/zero | tr '\0' x
	printf '"}}\n{"applicant": {"capital": 1000}}\n'
} | bounded 150000 "$HOJO" batch - --input-format jsonl >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && grep -q "^hojo: 入力エラー: -:1: 行が長すぎます（1行 1MiB = 1,048,576 バイトまで）" "$tmp/err" &&
	grep -q '^{"line":2,' "$tmp/out"; then ok; else ko "jsonl-long-line: exit $rc: $(head -c 300 "$tmp/err")"; fi

# quadratic time in libfyaml: 20,000 keys (its duplicate-key check took
# minutes; hojo's sorts) and a run of blanks after ']' (bounded at 200)
awk 'BEGIN { for (i = 0; i < 20000; i++) print "k" i ": 1" }' >"$H/keys.yaml"
fails many-keys 1 "keys.yaml:1:1: k0: 未知の項目 'k0'" timeout 10 "$HOJO" check "$H/keys.yaml"
printf 'applicant:\n  capital: 1000\n  employees: 3\n  capital: 2000\n' >"$H/dup.yaml"
fails duplicate-key 1 "dup.yaml:4:3: applicant: 項目 'capital' が二度書かれています（2行目にも）" "$HOJO" check "$H/dup.yaml"
{ printf 'applicant: {certifications: {}}'; head -c 1000000 /dev/zero | tr '\0' ' '; printf '\n'; } >"$H/blanks.yaml"
fails blank-run 1 "blanks.yaml:1:32: 空白が続きすぎます（空白・タブは続けて 200 個まで）" timeout 10 "$HOJO" check "$H/blanks.yaml"
