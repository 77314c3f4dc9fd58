/*
 * summary.c - hj_summarize: tallying frames over a file of applicants.
 *
 * Each worker owns a reader, one hj_facts and its own summary, so the hot
 * loop shares nothing; summaries are added up at the end. Per record, the
 * best frame (highest subsidy, then higher cap, then rulebook order: the
 * frame hj_results_sort ranks first among the eligible ones) is found in
 * the same pass, so each applicant is counted once in the totals. Splitting is
 * only done where it is safe: a regular file (so workers can seek) in
 * CSV without any '"' (so no field can span a line break). Memory stays
 * constant whatever the size of the file.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "hojo/alloc.h"
#include "hojo/batch.h"
#include "facts-int.h"
#include "reader-int.h"

#define MAX_THREADS 8
#define CHUNKS_PER_THREAD 8
#define MAX_CHUNKS (MAX_THREADS * CHUNKS_PER_THREAD)


typedef struct shared {
	const hj_rulebook *rb;
	const hj_selection *sel;
	const char *path;
	hj_format fmt;
	hj_record_error_fn on_error;
	void *ud;
	pthread_mutex_t lock;
	/* chunks of the file, taken by whichever worker is free */
	const hj_reader *header;
	long *starts, *lines;
	int nchunks;
	int next;
} shared;

typedef struct worker {
	shared *sh;
	hj_reader *rd;
	FILE *in;
	hj_summary *sum;
	long records, errors, undated;
	long ovf_line; /* the first record whose subsidy took a total beyond 64 bits */
	hj_status st;
	hj_error err;
	pthread_t tid;
} worker;

static void tally_reader(worker *w)
{
	const hj_rulebook *rb = w->sh->rb;
	const hj_selection *sel = w->sh->sel;
	hj_facts *f;
	if (hj_facts_new(rb, &f)) {
		w->st = HJ_ERR_NOMEM;
		return;
	}
	hj_reader_own(w->rd, f);
	hj_result r;
	/* the frames selected by program and edition, once; the date is
	 * checked per record (a record may carry its own) */
	const hj_frame *frames[1024];
	int idx[1024], nsel = 0;
	for (int i = 0; i < rb->nframes && nsel < 1024; i++) {
		hj_selection s2 = sel ? *sel : (hj_selection){ 0 };
		s2.has_date = 0;
		if (hj_frame_selected(rb->frames[i], &s2)) {
			frames[nsel] = rb->frames[i];
			idx[nsel++] = i;
		}
	}
	const hj_sizes *z = &rb->sizes;
	hj_summary *sum = w->sum;
	hj_tally *tally[1024]; /* each selected frame's tally */
	for (int k = 0; k < nsel; k++)
		tally[k] = &sum->frames[idx[k]];
	for (;;) {
		int eof;
		hj_error e;
		hj_status st = hj_reader_next(w->rd, f, &eof, &e);
		if (eof && !st)
			break;
		if (st == HJ_ERR_IO || st == HJ_ERR_NOMEM) {
			w->st = st;
			w->err = e;
			break;
		}
		if (st) {
			w->errors++;
			if (w->sh->on_error) {
				pthread_mutex_lock(&w->sh->lock);
				w->sh->on_error(w->sh->ud, &e);
				pthread_mutex_unlock(&w->sh->lock);
			}
			if (eof)
				break;
			continue;
		}
		w->records++;
		hj_date d = 0;
		int use_date = sel && sel->has_date ? (d = sel->date, 1) : f->has_date ? (d = f->date, 1) : 0;
		if (!use_date)
			w->undated++;
		/* the best frame so far: frames come in rulebook order, so a
		 * later one replaces it only when strictly better */
		int best = -1, any_und = 0, any = 0;
		hj_yen best_sub = 0, best_cap = 0;
		for (int k = 0; k < nsel; k++) {
			const hj_frame *fr = frames[k];
			if (use_date && !hj_frame_in_force(fr, d))
				continue;
			hj_evaluate_verdict(rb, f, fr, &r);
			any = 1;
			hj_tally *t = tally[k];
			t->count[r.verdict]++;
			if (r.verdict == HJ_UNDETERMINED)
				any_und = 1;
			if (r.verdict != HJ_ELIGIBLE)
				continue;
			if (__builtin_add_overflow(t->subsidy, r.subsidy, &t->subsidy) && !w->ovf_line)
				w->ovf_line = hj_reader_line(w->rd);
			hj_yen sub = r.subsidy_known ? r.subsidy : -1, cap = r.cap_known ? r.cap : -1;
			if (best < 0 || sub > best_sub || (sub == best_sub && cap > best_cap)) {
				best = idx[k];
				best_sub = sub;
				best_cap = cap;
			}
		}
		if (best >= 0) {
			sum->frames[best].best++;
			if (__builtin_add_overflow(sum->frames[best].best_subsidy, best_sub > 0 ? best_sub : 0,
						   &sum->frames[best].best_subsidy) &&
			    !w->ovf_line)
				w->ovf_line = hj_reader_line(w->rd);
		}
		/* the size class of the last frame evaluated (its edition's
		 * definition); with none in force, the applicant's as a whole
		 * (definition 0), not whatever the previous record left, so a
		 * file split between threads counts the same */
		if (z->loaded && !any)
			hj_facts_use_size(f, 0);
		if (z->loaded)
			hj_classify(f);
		hj_value ind = z->loaded ? f->vals[z->f_industry] : (hj_value){ 0 },
			 cls = z->loaded ? f->derived[HJ_DER_SIZE_CLASS] : (hj_value){ 0 };
		hj_group_tally *g[3] = { &sum->all,
					 &sum->industry[ind.known ? ind.u.sym : sum->nindustries],
					 &sum->size[cls.known ? cls.u.sym : sum->nsizes] };
		for (int k = 0; k < 3; k++) {
			g[k]->applicants++;
			if (best >= 0) {
				g[k]->eligible++;
				if (__builtin_add_overflow(g[k]->best_total, best_sub > 0 ? best_sub : 0, &g[k]->best_total) &&
				    !w->ovf_line)
					w->ovf_line = hj_reader_line(w->rd);
			} else if (any_und)
				g[k]->undetermined++;
			else if (any)
				g[k]->ineligible++;
			else
				g[k]->none_in_force++;
		}
	}
	hj_facts_free(f);
}

/* Take chunks until none is left: a worker on a faster core does more. */
static void *run_worker(void *arg)
{
	worker *w = arg;
	shared *sh = w->sh;
	for (;;) {
		int k = __atomic_fetch_add(&sh->next, 1, __ATOMIC_RELAXED);
		if (k >= sh->nchunks)
			break;
		if (hj_reader_range(w->rd, sh->header, sh->starts[k], sh->lines[k], sh->starts[k + 1])) {
			w->st = HJ_ERR_IO;
			hj_error_set(&w->err, HJ_ERR_IO, sh->path, 0, 0, NULL, "ファイルを読めません");
			break;
		}
		tally_reader(w);
		if (w->st)
			break;
	}
	return NULL;
}

/* The line ends in n bytes, 16 at a time: each lane of a byte vector
 * counts the '\n' seen in its place (x == nl is -1 there), for at most
 * 255 blocks before the lanes are added up (GCC's vector extension: SSE2
 * on x86-64, a plain loop elsewhere). */
typedef uint8_t summary_v16 __attribute__((vector_size(16)));

static long count_lines(const char *p, size_t n)
{
	const summary_v16 nl = (summary_v16){ 0 } + '\n';
	long c = 0;
	size_t i = 0;
	while (n - i >= 16) {
		size_t blocks = (n - i) / 16;
		if (blocks > 255)
			blocks = 255;
		summary_v16 acc = { 0 };
		for (size_t b = 0; b < blocks; b++, i += 16) {
			summary_v16 x;
			memcpy(&x, p + i, 16);
			acc -= (summary_v16)(x == nl);
		}
		for (int k = 0; k < 16; k++)
			c += acc[k];
	}
	for (; i < n; i++)
		c += p[i] == '\n';
	return c;
}

/* Can this file be split safely? Also counts lines before each split. */
static int plan_split(const char *path, long header_end, int n, long *starts, long *lines)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return 0;
	struct stat sb;
	if (fstat(fileno(fp), &sb) || !S_ISREG(sb.st_mode) || sb.st_size < (1 << 20)) {
		fclose(fp);
		return 0;
	}
	long size = (long)sb.st_size;
	starts[0] = header_end;
	int k = 1;
	long line = 1, pos = 0;
	static char buf[1 << 16];
	long next_cut = header_end + (size - header_end) / n;
	int ok = 1;
	size_t got;
	lines[0] = 2;
	while (ok && (got = fread(buf, 1, sizeof buf, fp)) > 0) {
		if (memchr(buf, '"', got)) {
			ok = 0; /* a quoted field may span lines: do not split */
			break;
		}
		/* whole blocks without a cut are only counted */
		const char *p = buf, *end = buf + got, *nl;
		while (k < n && next_cut <= pos + (long)got) {
			/* the first line starting at or after the cut */
			long from = next_cut > pos ? next_cut - 1 - pos : 0;
			if (from < p - buf)
				from = p - buf;
			line += count_lines(p, (size_t)(buf + from - p));
			p = buf + from;
			if (!(nl = memchr(p, '\n', (size_t)(end - p))))
				break;
			line++;
			p = nl + 1;
			long at = pos + (p - buf);
			if (at < size) {
				starts[k] = at;
				lines[k] = line;
			}
			k += at < size;
			next_cut = header_end + (size - header_end) / n * k;
			if (at >= size)
				break;
		}
		line += count_lines(p, (size_t)(end - p));
		pos += (long)got;
	}
	fclose(fp);
	starts[k] = size;
	return ok && k == n;
}

hj_status hj_summary_init(const hj_rulebook *rb, hj_summary *s)
{
	memset(s, 0, sizeof *s);
	s->nindustries = rb->sizes.loaded ? rb->enums[rb->sizes.e_industry].n : 0;
	s->nsizes = rb->sizes.loaded ? rb->enums[rb->sizes.e_size_class].n : 0;
	s->frames = hj_calloc((size_t)rb->nframes + 1, sizeof *s->frames);
	s->industry = hj_calloc((size_t)s->nindustries + 1, sizeof *s->industry);
	s->size = hj_calloc((size_t)s->nsizes + 1, sizeof *s->size);
	if (!s->frames || !s->industry || !s->size) {
		hj_summary_free(s);
		return HJ_ERR_NOMEM;
	}
	return HJ_OK;
}

void hj_summary_free(hj_summary *s)
{
	hj_free(s->frames);
	hj_free(s->industry);
	hj_free(s->size);
	s->frames = NULL;
	s->industry = s->size = NULL;
}

const char *hj_industry_id(const hj_rulebook *rb, int i)
{
	if (!rb->sizes.loaded)
		return NULL;
	const hj_enum *e = &rb->enums[rb->sizes.e_industry];
	return i >= 0 && i < e->n ? e->ids[i] : NULL;
}

const char *hj_industry_name(const hj_rulebook *rb, int i)
{
	if (!rb->sizes.loaded)
		return NULL;
	const hj_enum *e = &rb->enums[rb->sizes.e_industry];
	return i >= 0 && i < e->n ? e->labels[i] : NULL;
}

static void summary_clear(const hj_rulebook *rb, hj_summary *s)
{
	s->records = s->errors = s->undated = 0;
	memset(s->frames, 0, (size_t)rb->nframes * sizeof *s->frames);
	memset(&s->all, 0, sizeof s->all);
	memset(s->industry, 0, ((size_t)s->nindustries + 1) * sizeof *s->industry);
	memset(s->size, 0, ((size_t)s->nsizes + 1) * sizeof *s->size);
}

/* Counts cannot overflow (records are counted in a long); yen totals
 * are checked: returns 1 when one does not fit. */
static int group_add(hj_group_tally *a, const hj_group_tally *b)
{
	a->applicants += b->applicants;
	a->eligible += b->eligible;
	a->undetermined += b->undetermined;
	a->ineligible += b->ineligible;
	a->none_in_force += b->none_in_force;
	return __builtin_add_overflow(a->best_total, b->best_total, &a->best_total);
}

/* Add a worker's summary into the whole. */
static int summary_add(const hj_rulebook *rb, hj_summary *s, const hj_summary *w)
{
	int over = 0;
	for (int k = 0; k < rb->nframes; k++) {
		for (int v = 0; v < 3; v++)
			s->frames[k].count[v] += w->frames[k].count[v];
		over |= __builtin_add_overflow(s->frames[k].subsidy, w->frames[k].subsidy, &s->frames[k].subsidy);
		s->frames[k].best += w->frames[k].best;
		over |= __builtin_add_overflow(s->frames[k].best_subsidy, w->frames[k].best_subsidy,
					       &s->frames[k].best_subsidy);
	}
	over |= group_add(&s->all, &w->all);
	for (int k = 0; k <= s->nindustries; k++)
		over |= group_add(&s->industry[k], &w->industry[k]);
	for (int k = 0; k <= s->nsizes; k++)
		over |= group_add(&s->size[k], &w->size[k]);
	return over;
}

/* A yen total of the summary does not fit: an input error at the record
 * that took it over (line 0: when the threads' totals were added). */
static hj_status overflow(hj_error *err, const char *path, long line)
{
	return hj_error_set(err, HJ_ERR_INPUT, path, (int)line, 0, "subsidy",
			    "補助額の合計が計算できる範囲（9,223,372,036,854,775,807円）を超えます");
}

hj_status hj_summarize(const hj_rulebook *rb, const char *path, hj_format fmt, const hj_selection *sel,
		       int threads, hj_summary *sum, hj_record_error_fn on_error, void *ud, hj_error *err)
{
	hj_error_clear(err);
	summary_clear(rb, sum);
	shared sh = { rb, sel, path, fmt, on_error, ud, PTHREAD_MUTEX_INITIALIZER };
	int is_stdin = !strcmp(path, "-");
	FILE *in = is_stdin ? stdin : fopen(path, "r");
	if (!in)
		return hj_error_set(err, HJ_ERR_INPUT, path, 0, 0, NULL, "ファイルを開けません");
	hj_reader *rd;
	hj_status st = hj_reader_open(rb, in, path, fmt, &rd, err);
	if (st)
		goto out_file;
	/* the column map, resolved once at the header (workers copy it) */
	if ((st = hj_reader_set_columns(rd, sel ? sel->columns : NULL, err)))
		goto out_reader;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	long starts[MAX_CHUNKS + 1], lines[MAX_CHUNKS + 1];
	int split = 0, nchunks = threads * CHUNKS_PER_THREAD;
	/* the header first, whatever the threads: a file without one (or
	 * with a bad one) is an error of the file, not of a record */
	if ((st = hj_reader_header(rd, err)))
		goto out_reader;
	if (threads > 1 && !is_stdin)
		split = plan_split(path, hj_reader_offset(rd), nchunks, starts, lines);
	sh.header = rd;
	sh.starts = starts;
	sh.lines = lines;
	sh.nchunks = nchunks;
	if (!split) {
		worker w;
		memset(&w, 0, sizeof w);
		w.sh = &sh;
		w.rd = rd;
		w.sum = sum;
		tally_reader(&w);
		sum->records = w.records;
		sum->errors = w.errors;
		sum->undated = w.undated;
		if (w.st) {
			st = w.st;
			*err = w.err;
		} else if (w.ovf_line)
			st = overflow(err, path, w.ovf_line);
		goto out_reader;
	}
	worker ws[MAX_THREADS];
	memset(ws, 0, sizeof ws);
	int started = 0;
	for (int i = 0; i < threads; i++) {
		worker *w = &ws[i];
		w->sh = &sh;
		w->sum = hj_calloc(1, sizeof *w->sum);
		if (w->sum && hj_summary_init(rb, w->sum)) {
			hj_free(w->sum);
			w->sum = NULL;
		}
		w->in = fopen(path, "r");
		if (!w->sum || !w->in || hj_reader_open(rb, w->in, path, HJ_FMT_CSV, &w->rd, err)) {
			st = err->status ? err->status : HJ_ERR_NOMEM;
			break;
		}
		if (pthread_create(&w->tid, NULL, run_worker, w)) {
			st = hj_error_set(err, HJ_ERR_INTERNAL, path, 0, 0, NULL, "スレッドを作れません");
			break;
		}
		started++;
	}
	for (int i = 0; i < started; i++)
		pthread_join(ws[i].tid, NULL);
	long ovf_line = -1;
	for (int i = 0; i < threads; i++) {
		worker *w = &ws[i];
		if (i < started) {
			if (summary_add(rb, sum, w->sum) && ovf_line < 0)
				ovf_line = 0;
			if (w->ovf_line && (ovf_line <= 0 || w->ovf_line < ovf_line))
				ovf_line = w->ovf_line;
			sum->records += w->records;
			sum->errors += w->errors;
			sum->undated += w->undated;
			if (w->st && !st) {
				st = w->st;
				*err = w->err;
			}
		}
		hj_reader_free(w->rd);
		if (w->in)
			fclose(w->in);
		if (w->sum)
			hj_summary_free(w->sum);
		hj_free(w->sum);
	}
	if (!st && ovf_line >= 0)
		st = overflow(err, path, ovf_line);
out_reader:
	hj_reader_free(rd);
out_file:
	if (in != stdin)
		fclose(in);
	return st;
}
