/*
 * test_parties.c - the parties behind an application on SQLite
 * (lib/grants/parties.c over lib/store/parties.c; rules/parties.yaml;
 * docs/intake.md "Parties"): the rulebook section and its load errors,
 * organisations and roles, invitations confirmed, revoked and expired
 * and the facts they set (事業再構築 above 3,000万円 needs a 金融機関 as
 * well as the 認定支援機関, seed 001:353), the tool registry and its
 * approval, the chosen tools' processes deciding IT A/B類型, who sees
 * what, and the audit events. With HOJO_TEST_PG=CONNINFO the same tests
 * run on that PostgreSQL (tests/store/run does, on its throwaway cluster).
 */
#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <jansson.h>
#include "hojo/alloc.h"
#include "hojo/rulebook.h"
#include "hojo/store.h"
#include "hojo/grants/applications.h"
#include "hojo/grants/audit.h"
#include "hojo/grants/parties.h"
#include "store/driver.h"
#include "fixtures.h"
#include "json-path.h"

static char dir[64];
static hj_store *st;
static hj_rulebook *rb;
static hj_actor owner, stranger, staff, agency, bank, vendor, vendor_staff, lonely;

/* 2024-03-01T10:00:00+09:00 */
#define T_NOW 1709254800000000LL
#define DAY_US (86400LL * 1000000)

static int setup(void **state)
{
	(void)state;
	char url[1100];
	hj_error err;
	if (fx_store_open("parties", dir, url, sizeof url, &st) || hj_rulebook_load("rules", &rb, &err))
		return -1;
	fx_account(st, &owner, 1, "owner@example.jp", HJ_ROLE_APPLICANT);
	fx_account(st, &stranger, 2, "stranger@example.jp", HJ_ROLE_APPLICANT);
	fx_account(st, &staff, 3, "staff@example.jp", HJ_ROLE_STAFF);
	fx_account(st, &agency, 4, "agency@example.jp", HJ_ROLE_SUPPORTER);
	fx_account(st, &bank, 5, "bank@example.jp", HJ_ROLE_SUPPORTER);
	fx_account(st, &vendor, 6, "vendor@example.jp", HJ_ROLE_VENDOR);
	fx_account(st, &vendor_staff, 7, "vs@example.jp", HJ_ROLE_VENDOR | HJ_ROLE_STAFF);
	fx_account(st, &lonely, 8, "lonely@example.jp", HJ_ROLE_SUPPORTER);
	hj_clock_set(T_NOW);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hj_rulebook_free(rb);
	return fx_store_close(st, dir);
}

/* The application document's warnings of 'frame' of type 'type' about 'item' (NULL: any). */
static int count_warnings(json_t *doc, const char *frame, const char *type, const char *item)
{
	int n = 0;
	size_t i;
	json_t *w;
	json_array_foreach(json_object_get(doc, "warnings"), i, w)
	{
		const char *f = json_string_value(json_object_get(w, "frame"));
		const char *it = json_string_value(json_object_get(w, "item"));
		n += (!frame || (f && !strcmp(f, frame))) && !strcmp(json_string_value(json_object_get(w, "type")), type) &&
		     (!item || (it && !strcmp(it, item)));
	}
	return n;
}

/* The entry of parties.facts for 'fact'. */
static json_t *party_fact(json_t *doc, const char *fact)
{
	size_t i;
	json_t *f;
	json_array_foreach(at(doc, "application.parties.facts"), i, f)
		if (!strcmp(json_string_value(json_object_get(f, "fact")), fact))
			return f;
	return NULL;
}

static json_t *get_app(int64_t id)
{
	char *out;
	hj_error err;
	assert_int_equal(hj_app_get(st, rb, &owner, id, &out, NULL, &err), HJ_OK);
	return parse(out);
}

static int64_t company_id, agency_org, bank_org, vendor_org;

static void rulebook_section(void **state)
{
	(void)state;
	assert_int_equal(hj_rulebook_nparties(rb), 4);
	const hj_party_kind *k = hj_rulebook_find_party(rb, "support_agency");
	assert_non_null(k);
	assert_string_equal(k->name, "認定経営革新等支援機関");
	assert_string_equal(k->role, "supporter");
	assert_int_equal(k->nfacts, 1);
	assert_string_equal(k->facts[0].fact, "advisor");
	assert_true(hj_party_fact_applies(&k->facts[0], "saikochiku"));
	assert_true(hj_party_fact_applies(&k->facts[0], "monodukuri"));
	assert_false(hj_party_fact_applies(&k->facts[0], "it"));
	k = hj_rulebook_find_party(rb, "it_vendor");
	assert_int_equal(k->nfacts, 4);
	assert_int_equal(k->facts[2].from, HJ_PARTY_TOOL_PROCESSES);
	assert_string_equal(k->facts[2].fact, "it.processes");
	assert_null(hj_rulebook_find_party(rb, "notary"));

	/* a wrong entry stops the load with file, line and field */
	char cmd[256], path[128];
	snprintf(cmd, sizeof cmd, "cp -r rules '%s/bad'", dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof path, "%s/bad/parties.yaml", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("parties:\n  - kind: bank\n    name: 金融機関\n    role: supporter\n    source: seed 001:353\n"
	      "    confirms:\n      - fact: saikochiku.bank\n        from: confirmation\n        programs: [saikochiku]\n"
	      "        source: seed 001:353\n  - kind: chamber\n    name: 商工会\n    role: supporter\n"
	      "    source: seed 000:61\n    confirms:\n      - fact: it.processes\n        from: confirmation\n"
	      "        programs: [jizokuka]\n        source: seed 000:61\n",
	      f);
	fclose(f);
	snprintf(path, sizeof path, "%s/bad", dir);
	hj_rulebook *bad = NULL;
	hj_error err;
	assert_int_equal(hj_rulebook_load(path, &bad, &err), HJ_ERR_RULEBOOK);
	assert_null(bad);
	assert_non_null(strstr(err.file, "parties.yaml"));
	assert_int_equal(err.line, 16); /* the fact: it.processes is a set, not a bool */
	assert_string_equal(err.field, "parties[1].confirms[0]");
	/* an unknown program */
	f = fopen(strcat(path, "/parties.yaml"), "w");
	fputs("parties:\n  - kind: bank\n    name: 金融機関\n    role: supporter\n    source: seed 001:353\n"
	      "    confirms:\n      - fact: saikochiku.bank\n        from: confirmation\n        programs: [saikochku]\n"
	      "        source: seed 001:353\n",
	      f);
	fclose(f);
	snprintf(path, sizeof path, "%s/bad", dir);
	assert_int_equal(hj_rulebook_load(path, &bad, &err), HJ_ERR_RULEBOOK);
	assert_int_equal(err.line, 9);
	assert_non_null(strstr(err.message, "saikochku"));
}

static void organisations(void **state)
{
	(void)state;
	char *out;
	hj_error err;
	const char *b = "{\"kind\":\"support_agency\",\"name\":\"さいたま経営支援株式会社\",\"registration\":\"106513000001\"}";
	/* an applicant holds no supporter role */
	assert_int_equal(hj_party_org_create(st, rb, &owner, b, strlen(b), &out, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_party_org_create(st, rb, &agency, b, strlen(b), &out, &err), HJ_OK);
	json_t *j = parse(out);
	agency_org = num(j, "organisation.id");
	assert_string_equal(str(j, "organisation.registration"), "106513000001");
	assert_string_equal(str(j, "organisation.kind_name"), "認定経営革新等支援機関");
	json_decref(j);
	/* one organisation per account */
	assert_int_equal(hj_party_org_create(st, rb, &agency, b, strlen(b), &out, &err), HJ_ERR_CONFLICT);
	/* a supporter is no IT vendor */
	const char *v = "{\"kind\":\"it_vendor\",\"name\":\"x\"}";
	assert_int_equal(hj_party_org_create(st, rb, &agency, v, strlen(v), &out, &err), HJ_ERR_DENIED);
	const char *bb = "{\"kind\":\"bank\",\"name\":\"埼玉第一銀行\"}";
	assert_int_equal(hj_party_org_create(st, rb, &bank, bb, strlen(bb), &out, &err), HJ_OK);
	j = parse(out);
	bank_org = num(j, "organisation.id");
	json_decref(j);
	const char *vb = "{\"kind\":\"it_vendor\",\"name\":\"株式会社ITベンダー\"}";
	assert_int_equal(hj_party_org_create(st, rb, &vendor, vb, strlen(vb), &out, &err), HJ_OK);
	j = parse(out);
	vendor_org = num(j, "organisation.id");
	json_decref(j);
	const char *m = "{\"email\":\"VS@example.jp\"}";
	assert_int_equal(hj_party_org_add_member(st, rb, &vendor, m, strlen(m), &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(json_array_size(at(j, "organisation.members")), 2);
	json_decref(j);
	assert_int_equal(hj_party_org_add_member(st, rb, &vendor, m, strlen(m), &out, &err), HJ_ERR_CONFLICT);
	const char *bad = "{\"kind\":\"bank\",\"name\":\"x\",\"seal\":1}";
	assert_int_equal(hj_party_org_create(st, rb, &lonely, bad, strlen(bad), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "seal");
	assert_int_equal(hj_party_org_list(st, rb, "bank", &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(json_array_size(json_object_get(j, "organisations")), 1);
	assert_string_equal(str(json_array_get(json_object_get(j, "organisations"), 0), "name"), "埼玉第一銀行");
	json_decref(j);
}

/* An application of 'edition' for 'frames' (a JSON array) with 'data'. */
static int64_t application(const char *edition, const char *frames, const char *data)
{
	char *out, body[4096];
	hj_error err;
	snprintf(body, sizeof body, "{\"edition\":\"%s\",\"opens_at\":\"2024-01-10T10:00:00+09:00\","
				    "\"closes_at\":\"2024-03-27T17:00\"}",
		 edition);
	assert_int_equal(hj_call_create(st, rb, &staff, body, strlen(body), &out, &err), HJ_OK);
	json_t *j = parse(out);
	int64_t call = num(j, "call.id");
	json_decref(j);
	if (!company_id) {
		const char *cb = "{\"name\":\"株式会社サンプル精機\"}";
		assert_int_equal(hj_company_create(st, &owner, cb, strlen(cb), &out, &err), HJ_OK);
		j = parse(out);
		company_id = num(j, "company.id");
		json_decref(j);
	}
	snprintf(body, sizeof body, "{\"company\":%lld,\"call\":%lld,\"frames\":%s,\"data\":%s}", (long long)company_id,
		 (long long)call, frames, data);
	int64_t v;
	assert_int_equal(hj_app_create(st, rb, &owner, body, strlen(body), &out, &v, &err), HJ_OK);
	j = parse(out);
	int64_t id = num(j, "application.id");
	json_decref(j);
	return id;
}

#define MONTHS                                                                                                     \
	"\"2019-01\":\"1000万円\",\"2019-02\":\"1000万円\",\"2019-03\":\"1000万円\",\"2019-10\":\"1000万円\","              \
	"\"2019-11\":\"1000万円\",\"2019-12\":\"1000万円\",\"2020-01\":\"1000万円\",\"2020-02\":\"1000万円\","              \
	"\"2020-03\":\"1000万円\",\"2020-10\":\"900万円\",\"2020-11\":\"900万円\",\"2020-12\":\"900万円\","                 \
	"\"2021-01\":\"1000万円\",\"2021-02\":\"1000万円\",\"2021-03\":\"1000万円\""

/* 事業再構築 R2 中小企業 通常枠 (tests/cases/saikochiku/r2.yaml's base):
 * Oct-Dec 2020 at 900万円 is a 10% fall; expenses 6,000万円 × 2/3 =
 * 4,000万円 (cap 6,000万円) is above 3,000万円, so besides the 認定支援
 * 機関 a 金融機関 must take part (seed 001:353). */
static const char *SAIKO =
	"{\"date\":\"2021-04-15\",\"applicant\":{\"legal_form\":\"company\",\"industry\":\"manufacturing\","
	"\"capital\":\"1億円\",\"employees\":50,\"monthly_sales\":{" MONTHS "}},\"project\":{\"support_agency\":true,"
	"\"expenses\":\"6000万円\",\"saikochiku\":{\"restructuring\":true,\"bank\":true,\"graduation\":false},"
	"\"global\":false}}";
#define F_SAIKO "saikochiku-chusho-tsujo"

static int64_t saiko_app, inv_agency, inv_bank;

static void confirmations_set_the_facts(void **state)
{
	(void)state;
	char *out, body[512];
	hj_error err;
	saiko_app = application("saikochiku-r2", "[\"" F_SAIKO "\"]", SAIKO);
	json_t *d = get_app(saiko_app);
	/* nobody confirmed: both typed trues are set aside, the frame misses them */
	assert_int_equal(count_warnings(d, F_SAIKO, "missing", "project.support_agency"), 1);
	assert_int_equal(count_warnings(d, F_SAIKO, "missing", "project.saikochiku.bank"), 1);
	assert_int_equal(count_warnings(d, NULL, "party", NULL), 2);
	assert_true(json_is_false(json_object_get(party_fact(d, "advisor"), "confirmed")));
	json_decref(d);

	/* only the owner invites; a kind that confirms nothing here is refused */
	const char *ib = "{\"kind\":\"support_agency\",\"email\":\"agency@example.jp\"}";
	assert_int_equal(hj_party_invite(st, rb, &stranger, saiko_app, ib, strlen(ib), &out, &err), HJ_ERR_NOT_FOUND);
	const char *ic = "{\"kind\":\"chamber\",\"email\":\"agency@example.jp\"}";
	assert_int_equal(hj_party_invite(st, rb, &owner, saiko_app, ic, strlen(ic), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "kind");
	const char *both = "{\"kind\":\"bank\",\"email\":\"bank@example.jp\",\"organisation\":1}";
	assert_int_equal(hj_party_invite(st, rb, &owner, saiko_app, both, strlen(both), &out, &err), HJ_ERR_INPUT);
	snprintf(body, sizeof body, "{\"kind\":\"bank\",\"organisation\":%lld}", (long long)agency_org);
	assert_int_equal(hj_party_invite(st, rb, &owner, saiko_app, body, strlen(body), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "organisation");

	assert_int_equal(hj_party_invite(st, rb, &owner, saiko_app, ib, strlen(ib), &out, &err), HJ_OK);
	json_t *j = parse(out);
	inv_agency = num(j, "invitation.id");
	assert_string_equal(str(j, "invitation.state"), "pending");
	json_decref(j);
	snprintf(body, sizeof body, "{\"kind\":\"bank\",\"organisation\":%lld}", (long long)bank_org);
	assert_int_equal(hj_party_invite(st, rb, &owner, saiko_app, body, strlen(body), &out, &err), HJ_OK);
	j = parse(out);
	inv_bank = num(j, "invitation.id");
	json_decref(j);

	/* the party's side: only what is addressed to it */
	assert_int_equal(hj_party_inbox(st, rb, &agency, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(json_array_size(json_object_get(j, "invitations")), 1);
	assert_int_equal(num(json_array_get(json_object_get(j, "invitations"), 0), "id"), inv_agency);
	json_decref(j);
	assert_int_equal(hj_party_invitation_get(st, rb, &bank, inv_agency, &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_party_invitation_get(st, rb, &lonely, inv_bank, &out, &err), HJ_ERR_NOT_FOUND);
	const char *cb = "{\"statement\":\"事業計画を共に策定しました\",\"until\":\"2024-03-02T10:00:00+09:00\"}";
	assert_int_equal(hj_party_confirm(st, rb, &bank, inv_agency, cb, strlen(cb), &out, &err), HJ_ERR_NOT_FOUND);
	const char *wrong = "{\"statement\":\"x\",\"confirms\":[\"saikochiku.bank\"]}";
	assert_int_equal(hj_party_confirm(st, rb, &agency, inv_agency, wrong, strlen(wrong), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "confirms");
	const char *nost = "{\"until\":\"2024-03-02\"}";
	assert_int_equal(hj_party_confirm(st, rb, &agency, inv_agency, nost, strlen(nost), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "statement");

	/* the 認定支援機関 confirms (until tomorrow, 2024-03-02 10:00 JST) */
	assert_int_equal(hj_party_confirm(st, rb, &agency, inv_agency, cb, strlen(cb), &out, &err), HJ_OK);
	j = parse(out);
	assert_string_equal(str(j, "invitation.state"), "confirmed");
	assert_string_equal(str(j, "invitation.confirmed_at"), "2024-03-01T10:00:00+09:00");
	assert_string_equal(str(j, "invitation.until"), "2024-03-02T10:00:00+09:00");
	assert_string_equal(str(j, "invitation.organisation.name"), "さいたま経営支援株式会社");
	json_decref(j);
	d = get_app(saiko_app);
	assert_int_equal(count_warnings(d, F_SAIKO, "missing", "project.support_agency"), 0);
	assert_int_equal(count_warnings(d, F_SAIKO, "missing", "project.saikochiku.bank"), 1);
	json_t *pf = party_fact(d, "advisor");
	assert_true(json_is_true(json_object_get(pf, "value")));
	assert_string_equal(str(pf, "by.organisation.name"), "さいたま経営支援株式会社");
	assert_string_equal(str(pf, "by.at"), "2024-03-01T10:00:00+09:00");
	json_decref(d);

	/* the 金融機関 confirms: 4,000万円 > 3,000万円 is now allowed, the frame is 対象 */
	const char *bc = "{\"statement\":\"金融機関として計画策定に参加しました\"}";
	assert_int_equal(hj_party_confirm(st, rb, &bank, inv_bank, bc, strlen(bc), &out, &err), HJ_OK);
	hj_free(out);
	d = get_app(saiko_app);
	assert_int_equal(json_array_size(json_object_get(d, "warnings")), 0);
	json_decref(d);
	const char *sub = "{}";
	int replayed;
	assert_int_equal(hj_app_submit(st, rb, &owner, saiko_app, sub, 2, NULL, 1, &out, &replayed, &err), HJ_OK);
	j = parse(out);
	assert_true(json_is_true(json_object_get(j, "ok")));
	json_decref(j);

	/* expiry: a day later the 認定支援機関's confirmation has ended */
	hj_clock_set(T_NOW + DAY_US + 1);
	d = get_app(saiko_app);
	assert_int_equal(count_warnings(d, F_SAIKO, "missing", "project.support_agency"), 1);
	json_t *inv0 = json_array_get(at(d, "application.parties.invitations"), 0);
	assert_string_equal(str(inv0, "state"), "expired");
	json_decref(d);
	/* at the end date exactly it has ended too; a microsecond before it holds */
	hj_clock_set(T_NOW + DAY_US - 1);
	d = get_app(saiko_app);
	assert_int_equal(count_warnings(d, F_SAIKO, "missing", "project.support_agency"), 0);
	json_decref(d);
	hj_clock_set(T_NOW + DAY_US);
	d = get_app(saiko_app);
	assert_int_equal(count_warnings(d, F_SAIKO, "missing", "project.support_agency"), 1);
	json_decref(d);
	hj_clock_set(T_NOW);

	/* revocation by the bank: the fact is 要確認 again; twice is a conflict */
	assert_int_equal(hj_party_revoke_by_party(st, &bank, inv_bank, &out, &err), HJ_OK);
	hj_free(out);
	assert_int_equal(hj_party_revoke_by_party(st, &bank, inv_bank, &out, &err), HJ_ERR_CONFLICT);
	d = get_app(saiko_app);
	assert_int_equal(count_warnings(d, F_SAIKO, "missing", "project.saikochiku.bank"), 1);
	json_decref(d);
	/* revocation by the owner */
	assert_int_equal(hj_party_revoke_by_owner(st, &stranger, saiko_app, inv_agency, &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_party_revoke_by_owner(st, &owner, saiko_app, inv_agency, &out, &err), HJ_OK);
	hj_free(out);
	d = get_app(saiko_app);
	assert_int_equal(count_warnings(d, F_SAIKO, "missing", "project.support_agency"), 1);
	json_decref(d);
	/* a revoked invitation cannot be confirmed */
	assert_int_equal(hj_party_confirm(st, rb, &agency, inv_agency, bc, strlen(bc), &out, &err), HJ_ERR_CONFLICT);

	/* a supporter of another kind cannot confirm an invitation sent to its e-mail */
	const char *ib2 = "{\"kind\":\"support_agency\",\"email\":\"bank@example.jp\"}";
	assert_int_equal(hj_party_invite(st, rb, &owner, saiko_app, ib2, strlen(ib2), &out, &err), HJ_OK);
	j = parse(out);
	int64_t inv3 = num(j, "invitation.id");
	json_decref(j);
	assert_int_equal(hj_party_confirm(st, rb, &bank, inv3, bc, strlen(bc), &out, &err), HJ_ERR_DENIED);
	/* nor one without an organisation */
	const char *ib3 = "{\"kind\":\"support_agency\",\"email\":\"lonely@example.jp\"}";
	assert_int_equal(hj_party_invite(st, rb, &owner, saiko_app, ib3, strlen(ib3), &out, &err), HJ_OK);
	j = parse(out);
	int64_t inv4 = num(j, "invitation.id");
	json_decref(j);
	assert_int_equal(hj_party_confirm(st, rb, &lonely, inv4, bc, strlen(bc), &out, &err), HJ_ERR_DENIED);
}

/* IT導入補助金2021 A/B (tests/cases/it/r2021-ab.yaml): expenses 400万円 ×
 * 1/2 = 200万円: A caps it at 1,499,999円, B is inside 150万〜450万円; A
 * needs 1 of P-01…P-06, B 4 of P-01…P-07 (seed 001:827-828). */
static const char *IT =
	"{\"date\":\"2021-06-01\",\"applicant\":{\"legal_form\":\"company\",\"industry\":\"manufacturing\","
	"\"capital\":\"1,000万円\",\"employees\":30},\"project\":{\"expenses\":\"400万円\",\"it\":{"
	"\"registered_tool\":true,\"vendor_partnership\":true,\"processes\":[\"P-01\"]}}}";

static int64_t tool(const hj_actor *who, const char *body)
{
	char *out;
	hj_error err;
	assert_int_equal(hj_tool_create(st, rb, who, body, strlen(body), &out, &err), HJ_OK);
	json_t *j = parse(out);
	int64_t id = num(j, "tool.id");
	assert_string_equal(str(j, "tool.state"), "draft");
	json_decref(j);
	return id;
}

static void tools_decide_it_frames(void **state)
{
	(void)state;
	char *out, body[256];
	hj_error err;
	/* a vendor without an organisation, and bad tools */
	hj_actor v2;
	fx_account(st, &v2, 9, "v2@example.jp", HJ_ROLE_VENDOR);
	const char *t4b = "{\"name\":\"販売・会計クラウド\",\"kind\":\"software\",\"processes\":[\"P-01\",\"P-02\",\"P-03\",\"P-04\"]}";
	assert_int_equal(hj_tool_create(st, rb, &v2, t4b, strlen(t4b), &out, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_tool_create(st, rb, &agency, t4b, strlen(t4b), &out, &err), HJ_ERR_DENIED);
	const char *dup = "{\"name\":\"x\",\"kind\":\"software\",\"processes\":[\"P-01\",\"P-01\"]}";
	assert_int_equal(hj_tool_create(st, rb, &vendor, dup, strlen(dup), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "processes");
	const char *svc = "{\"name\":\"導入サポート\",\"kind\":\"service\"}";
	int64_t ts = tool(&vendor, svc);
	int64_t t4 = tool(&vendor, t4b);
	const char *t3b = "{\"name\":\"在庫管理ライト\",\"kind\":\"software\",\"processes\":[\"P-02\",\"P-01\",\"P-03\"],\"linked\":true}";
	int64_t t3 = tool(&vendor, t3b);

	/* approval: only submitted ones, only by staff, never by the vendor's own */
	assert_int_equal(hj_tool_decide(st, &staff, t4, 1, NULL, 0, &out, &err), HJ_ERR_CONFLICT);
	assert_int_equal(hj_tool_submit(st, &stranger, t4, &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_tool_submit(st, &vendor, t4, &out, &err), HJ_OK);
	hj_free(out);
	assert_int_equal(hj_tool_submit(st, &vendor, t3, &out, &err), HJ_OK);
	hj_free(out);
	assert_int_equal(hj_tool_decide(st, &vendor, t4, 1, NULL, 0, &out, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_tool_decide(st, &vendor_staff, t4, 1, NULL, 0, &out, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_tool_get(st, &stranger, t4, &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_tool_decide(st, &staff, t4, 0, "{}", 2, &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "reason");
	assert_int_equal(hj_tool_decide(st, &staff, t4, 1, NULL, 0, &out, &err), HJ_OK);
	hj_free(out);
	assert_int_equal(hj_tool_get(st, &stranger, t4, &out, &err), HJ_OK);
	hj_free(out);
	assert_int_equal(hj_tool_decide(st, &staff, t4, 1, NULL, 0, &out, &err), HJ_ERR_CONFLICT);
	/* an approved tool is frozen */
	assert_int_equal(hj_tool_update(st, rb, &vendor, t4, t3b, strlen(t3b), &out, &err), HJ_ERR_CONFLICT);
	assert_int_equal(hj_tool_delete(st, &vendor, t4, &err), HJ_ERR_CONFLICT);
	assert_int_equal(hj_tool_delete(st, &vendor, ts, &err), HJ_OK);
	assert_int_equal(hj_tool_list(st, &stranger, "approved", NULL, &out, &err), HJ_OK);
	json_t *j = parse(out);
	assert_int_equal(json_array_size(json_object_get(j, "tools")), 1);
	json_decref(j);
	assert_int_equal(hj_tool_list(st, &vendor, "review", NULL, &out, &err), HJ_ERR_DENIED);
	assert_int_equal(hj_tool_list(st, &vendor, "mine", NULL, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(json_array_size(json_object_get(j, "tools")), 2);
	json_decref(j);

	int64_t app = application("it-2021", "[\"it-2021-a\",\"it-2021-b\"]", IT);
	json_t *d = get_app(app);
	assert_int_equal(count_warnings(d, "it-2021-a", "missing", "project.it.registered_tool"), 1);
	assert_int_equal(count_warnings(d, "it-2021-a", "missing", "project.it.processes"), 1);
	json_decref(d);
	/* an unapproved (submitted) tool cannot be chosen */
	snprintf(body, sizeof body, "{\"tools\":[%lld]}", (long long)t3);
	assert_int_equal(hj_app_tools_set(st, &owner, app, body, strlen(body), &out, &err), HJ_ERR_INPUT);
	assert_string_equal(err.field, "tools");
	snprintf(body, sizeof body, "{\"tools\":[%lld]}", (long long)t4);
	assert_int_equal(hj_app_tools_set(st, &stranger, app, body, strlen(body), &out, &err), HJ_ERR_NOT_FOUND);
	assert_int_equal(hj_app_tools_set(st, &owner, app, body, strlen(body), &out, &err), HJ_OK);
	hj_free(out);
	snprintf(body, sizeof body, "{\"kind\":\"it_vendor\",\"organisation\":%lld}", (long long)vendor_org);
	assert_int_equal(hj_party_invite(st, rb, &owner, app, body, strlen(body), &out, &err), HJ_OK);
	j = parse(out);
	int64_t inv = num(j, "invitation.id");
	json_decref(j);
	/* a colleague of the vendor's organisation confirms */
	const char *cb = "{\"statement\":\"パートナーシップを組みます\"}";
	assert_int_equal(hj_party_confirm(st, rb, &vendor_staff, inv, cb, strlen(cb), &out, &err), HJ_OK);
	hj_free(out);
	d = get_app(app);
	/* P-01…P-04: A (1 of P-01…P-06) and B (4 of P-01…P-07) both 対象 */
	assert_int_equal(count_warnings(d, "it-2021-a", "missing", NULL), 0);
	assert_int_equal(count_warnings(d, "it-2021-a", "ineligible", NULL), 0);
	assert_int_equal(count_warnings(d, "it-2021-b", "ineligible", NULL), 0);
	json_t *pp = json_object_get(party_fact(d, "it.processes"), "value");
	assert_int_equal(json_array_size(pp), 4);
	assert_string_equal(json_string_value(json_array_get(pp, 3)), "P-04");
	/* the typed [P-01] disagrees with the registry */
	assert_int_equal(count_warnings(d, NULL, "party", "project.it.processes"), 1);
	assert_true(json_is_false(json_object_get(party_fact(d, "it.linked_software"), "value")));
	json_decref(d);

	/* refuse the three-process tool, edit it, approve it, choose it: B needs four */
	assert_int_equal(hj_tool_decide(st, &staff, t3, 0, "{\"reason\":\"説明不足\"}", strlen("{\"reason\":\"説明不足\"}"),
				       &out, &err),
			 HJ_OK);
	hj_free(out);
	assert_int_equal(hj_tool_update(st, rb, &vendor, t3, t3b, strlen(t3b), &out, &err), HJ_OK);
	hj_free(out);
	assert_int_equal(hj_tool_submit(st, &vendor, t3, &out, &err), HJ_OK);
	hj_free(out);
	assert_int_equal(hj_tool_decide(st, &staff, t3, 1, NULL, 0, &out, &err), HJ_OK);
	hj_free(out);
	snprintf(body, sizeof body, "{\"tools\":[%lld]}", (long long)t3);
	assert_int_equal(hj_app_tools_set(st, &owner, app, body, strlen(body), &out, &err), HJ_OK);
	hj_free(out);
	d = get_app(app);
	assert_int_equal(count_warnings(d, "it-2021-a", "ineligible", NULL), 0);
	assert_int_equal(count_warnings(d, "it-2021-b", "ineligible", NULL), 1);
	assert_int_equal(count_warnings(d, "it-2021-b", "failing", "processes"), 1);
	assert_true(json_is_true(json_object_get(party_fact(d, "it.linked_software"), "value")));
	json_decref(d);
	/* choosing nothing: every tool fact is 要確認 again */
	assert_int_equal(hj_app_tools_set(st, &owner, app, "{\"tools\":[]}", 12, &out, &err), HJ_OK);
	hj_free(out);
	d = get_app(app);
	assert_int_equal(count_warnings(d, "it-2021-a", "missing", "project.it.processes"), 1);
	json_decref(d);
}

static void audited(void **state)
{
	(void)state;
	char *out;
	hj_error err;
	assert_int_equal(hj_audit_list(st, "application", saiko_app, "party.confirm", 1, 50, &out, &err), HJ_OK);
	json_t *j = parse(out);
	assert_int_equal(num(j, "total"), 2);
	json_decref(j);
	assert_int_equal(hj_audit_list(st, "application", saiko_app, "party.revoke", 1, 50, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(num(j, "total"), 2);
	json_decref(j);
	assert_int_equal(hj_audit_list(st, "it_tool", 0, "tool.approve", 1, 50, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(num(j, "total"), 2);
	json_decref(j);
	assert_int_equal(hj_audit_list(st, "party_org", 0, "party.org.create", 1, 50, &out, &err), HJ_OK);
	j = parse(out);
	assert_int_equal(num(j, "total"), 3);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rulebook_section),
		cmocka_unit_test(organisations),
		cmocka_unit_test(confirmations_set_the_facts),
		cmocka_unit_test(tools_decide_it_frames),
		cmocka_unit_test(audited),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
