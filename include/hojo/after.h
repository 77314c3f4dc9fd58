/*
 * hojo/after.h - after adoption, as engine code over the rulebook
 * (lib/after.c, lib/after-rules.c; docs/after.md): the same engine that
 * decided the grant decides the final amount and whether the plan was
 * kept.
 *
 *  - the edition's 'after:' rules: the project period after 交付決定
 *    (seed 001:889), contracts allowed before 交付決定 (遡及適用, seed
 *    001:881), the conditions due by 交付決定, the yearly reports (years,
 *    due dates; seed 001:890, 004:197), the consequences of a missed
 *    requirement (or none encoded), and the program's 成果目標 with their
 *    formulas (seed 000:70-80 …), every one with its source;
 *  - claim lines (実績報告) checked by rule: dated before 交付決定 or
 *    outside the period → refused with the reason (unless retroactive);
 *  - settlement (確定額): the frame evaluated by the engine on the
 *    accepted actual lines, never above 交付決定額, explained line by line;
 *  - a yearly report compared with the approved plan and each
 *    requirement: met / not met / not yet measurable, with the gap;
 *    a report that contradicts itself refused with sheet/row/field;
 *  - the outcomes (成果目標) over a cohort of grantees' reports.
 *
 * The documents in and out are JSON (shapes in docs/after.md), so the
 * office (lib/grants/awards.c), the CLI (hojo settle, hojo outcomes) and
 * the tests share them. Amounts are integer yen; rates exact fractions.
 *
 * Errors: HJ_ERR_INPUT with field "lines[3].date", "years[2].sales" …
 * (and line/column when the input came from a file), HJ_ERR_RANGE on
 * overflow, HJ_ERR_NOMEM.
 *
 * Ownership: the rulebook is borrowed; char **out documents are
 * hj_malloc'd JSON, freed with hj_free.
 */
#ifndef HOJO_AFTER_H
#define HOJO_AFTER_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "money.h"
#include "date.h"
#include "rulebook.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 0 when the edition has no 'after:'. */
int hj_edition_has_after(const hj_edition *e);

/*
 * The edition's after-adoption rules as a document (for the API and the
 * pages): {"edition","project_period":{months,source,note},
 * "retroactive":[{frames,from,source}],"due_by_grant":[…],
 * "reports":{"count","first","due","extra":{…},"source"},
 * "consequences":[…] or {"none_encoded":true,"note"},
 * "outcomes":[{id,text,kind,target,horizon_years,source}]}.
 */
hj_status hj_after_rules_json(const hj_rulebook *rb, const hj_edition *e, char **out, hj_error *err);

/*
 * The project period for a grant decided on 'granted_on': [granted_on,
 * end] with end from the rules (or 'requested_end' when the rules give
 * none and the staff set one: requested_end valid, else HJ_ERR_INPUT
 * "period_end" 要確認).
 */
hj_status hj_project_period(const hj_rulebook *rb, const hj_frame *f, hj_date granted_on, int has_requested_end,
			    hj_date requested_end, hj_date *end, hj_error *err);

/*
 * The yearly reports due for a grant completed on 'completed_on':
 * {"reports":[{"year":1,"fiscal_year":2022,"due":"2023-…","source"}…]}.
 */
hj_status hj_report_schedule_json(const hj_rulebook *rb, const hj_frame *f, hj_date completed_on, char **out,
				  hj_error *err);

/*
 * The same for an edition whose report count is the approved plan's
 * length ('count: plan'): 'plan_years' is the plan's years after the base
 * (1-5; 0 when not known, then such a rule is HJ_ERR_INPUT "plan_years").
 * Each report: {year, fiscal_year, fiscal_year_end, due, due_setting
 * (the due date is a secretariat setting, not from the sources), extra,
 * source}. An edition without 'reports' gives an empty list and a note.
 */
hj_status hj_report_schedule_plan_json(const hj_rulebook *rb, const hj_frame *f, hj_date completed_on,
				       int plan_years, char **out, hj_error *err);

/*
 * The conditions due by 交付決定 ('due_by_grant'), checked at 交付申請 on
 * the application input 'app' (with its plan). in (may be NULL):
 * {"base_actuals": {a plan year: the base year's actual figures}} — they
 * replace the plan's base year (a forecast, seed 004:198-200) and the
 * frame's plan requirements are checked again on it. out: {"frame",
 * "items":[{"id","text","status":"met"|"not_met"|"unknown"|"not_yet",
 * "detail","source","requirements"?}],"ok":true|false}.
 */
hj_status hj_due_check_json(const hj_rulebook *rb, const hj_frame *f, const char *app, size_t app_len,
			    const char *in, size_t in_len, char **out, hj_error *err);

/*
 * The approved plan: the application input 'app' with its plan's base year
 * replaced by the 交付申請's actual figures (in as for hj_due_check_json;
 * NULL: unchanged), checked as hj_due_check_json checks them. Yearly
 * reports are measured from it (seed 004:198-200). *out the application
 * as JSON.
 */
hj_status hj_approved_plan_json(const char *app, size_t app_len, const char *in, size_t in_len, char **out,
				hj_error *err);

/*
 * Check claim lines by rule. in: {"granted_on","period_end",
 * "lines":[{"category","description","amount","date","contract_date"?}]}
 * for frame f with the application's data 'app' (JSON input as for
 * hj_check). out: {"lines":[{"index","ok","reason","source"}],"ok"}.
 */
hj_status hj_claim_check_json(const hj_rulebook *rb, const hj_frame *f, const char *app, size_t app_len,
			      const char *in, size_t in_len, char **out, hj_error *err);

/*
 * 確定額. in: {"granted":交付決定額,"granted_on","period_end"?,
 * "lines":[{"category","description","amount","unit_price"?,"quantity"?,
 * "date","contract_date"?,"accepted"?,
 * "decision":"accept"|"reduce"|"reject","reason"}]} — 'accepted' the
 * amount staff accepted. out: {"frame","granted","accepted_total",
 * "eligible_total","evaluated","settled","capped_by":"granted"|"cap"|
 * "rate"|…,"lines":[…],"explanation":[{kind,text,values,source}]}.
 * settled = min(granted, the frame's subsidy on the accepted lines).
 */
hj_status hj_settle_json(const hj_rulebook *rb, const hj_frame *f, const char *app, size_t app_len,
			 const char *in, size_t in_len, char **out, hj_error *err);

/*
 * A yearly report against the approved plan. plan: the approved plan
 * (the "plan" object of an application input, docs/plan.md), or the
 * whole application input with its "plan" (then a requirement's 'when'
 * is decided on its facts; those that do not apply are listed under
 * "not_applicable"); report:
 * {"year":k,"fiscal_year_end", and the plan's own item keys: "sales",
 * "cost_of_sales","labor_cost","depreciation","other_expenses" (or
 * "operating_profit"),"non_operating","ordinary_profit","capex",
 * "total_wages","employees","min_wage","regional_min_wage"?,
 * "prefecture"?,"commercialised"?,"project_sales"?} (the same keys as a
 * plan year, so one reader serves both; docs/after.md). out: {"year","derived":{value_added,…},
 * "requirements":[{"id","text","status":"met"|"not_met"|"not_yet",
 * "target","actual","gap","source"}],"plan_row":{…},
 * "consequences":[…] or {"none_encoded":true}}.
 * A report that contradicts itself or the plan's definitions is
 * HJ_ERR_INPUT naming "sheet/row/field" (人件費 below 給与支給総額 …).
 */
hj_status hj_report_compare_json(const hj_rulebook *rb, const hj_frame *f, const char *plan, size_t plan_len,
				 const char *report, size_t report_len, char **out, hj_error *err);

/*
 * The program's outcomes over a cohort. in: {"budget":yen?,
 * "grantees":[{"id","frame","base":{…plan base year…},
 * "reports":[{year,…as above…}]}]}. out: {"edition","outcomes":[{"id",
 * "text","target","value","met":true|false|null,"n":grantees it rests
 * on,"source","formula"}]}. An outcome with no grantee reporting yet
 * has value null and met null (not measurable yet).
 */
hj_status hj_outcomes_json(const hj_rulebook *rb, const hj_edition *e, const char *in, size_t in_len, char **out,
			   hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
