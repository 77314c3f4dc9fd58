/*
 * summary.c - hj_summarize: tallying frames over a file of applicants.
 *
 * Each worker owns a reader, one hj_facts and its own tally, so the hot
 * loop shares nothing; tallies are added up at the end. Splitting is
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
	hj_tally *tally;
	long records, errors;
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
	for (;;) {
		int eof;
		hj_error e;
		hj_status st = hj_reader_next(w->rd, f, &eof, &e);
		if (eof)
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
			continue;
		}
		w->records++;
		hj_date d = 0;
		int use_date = sel && sel->has_date ? (d = sel->date, 1) : hj_facts_date(f, &d);
		for (int k = 0; k < nsel; k++) {
			const hj_frame *fr = frames[k];
			if (use_date && !hj_frame_in_force(fr, d))
				continue;
			hj_evaluate_verdict(rb, f, fr, &r);
			w->tally[idx[k]].count[r.verdict]++;
			if (r.verdict == HJ_ELIGIBLE)
				w->tally[idx[k]].subsidy += r.subsidy;
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
		const char *p = buf, *end = buf + got, *nl;
		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			long at = pos + (nl - buf) + 1;
			line++;
			if (k < n && at >= next_cut && at < size) {
				starts[k] = at;
				lines[k] = line;
				k++;
				next_cut = header_end + (size - header_end) / n * k;
			}
			p = nl + 1;
		}
		pos += (long)got;
	}
	fclose(fp);
	starts[k] = size;
	return ok && k == n;
}

hj_status hj_summarize(const hj_rulebook *rb, const char *path, hj_format fmt, const hj_selection *sel,
		       int threads, hj_tally *tally, long *records, long *errors, hj_record_error_fn on_error,
		       void *ud, hj_error *err)
{
	hj_error_clear(err);
	*records = *errors = 0;
	memset(tally, 0, (size_t)rb->nframes * sizeof *tally);
	shared sh = { rb, sel, path, fmt, on_error, ud, PTHREAD_MUTEX_INITIALIZER };
	int is_stdin = !strcmp(path, "-");
	FILE *in = is_stdin ? stdin : fopen(path, "r");
	if (!in)
		return hj_error_set(err, HJ_ERR_INPUT, path, 0, 0, NULL, "ファイルを開けません");
	hj_reader *rd;
	hj_status st = hj_reader_open(rb, in, path, fmt, &rd, err);
	if (st)
		goto out_file;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	long starts[MAX_CHUNKS + 1], lines[MAX_CHUNKS + 1];
	int split = 0, nchunks = threads * CHUNKS_PER_THREAD;
	if (threads > 1 && !is_stdin) {
		if ((st = hj_reader_header(rd, err)))
			goto out_reader;
		split = plan_split(path, hj_reader_offset(rd), nchunks, starts, lines);
	}
	sh.header = rd;
	sh.starts = starts;
	sh.lines = lines;
	sh.nchunks = nchunks;
	if (!split) {
		worker w;
		memset(&w, 0, sizeof w);
		w.sh = &sh;
		w.rd = rd;
		w.tally = tally;
		tally_reader(&w);
		*records = w.records;
		*errors = w.errors;
		if (w.st) {
			st = w.st;
			*err = w.err;
		}
		goto out_reader;
	}
	worker ws[MAX_THREADS];
	memset(ws, 0, sizeof ws);
	int started = 0;
	for (int i = 0; i < threads; i++) {
		worker *w = &ws[i];
		w->sh = &sh;
		w->tally = hj_calloc((size_t)rb->nframes, sizeof *w->tally);
		w->in = fopen(path, "r");
		if (!w->tally || !w->in || hj_reader_open(rb, w->in, path, HJ_FMT_CSV, &w->rd, err)) {
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
	for (int i = 0; i < threads; i++) {
		worker *w = &ws[i];
		if (i < started) {
			for (int k = 0; k < rb->nframes; k++) {
				for (int v = 0; v < 3; v++)
					tally[k].count[v] += w->tally[k].count[v];
				tally[k].subsidy += w->tally[k].subsidy;
			}
			*records += w->records;
			*errors += w->errors;
			if (w->st && !st) {
				st = w->st;
				*err = w->err;
			}
		}
		hj_reader_free(w->rd);
		if (w->in)
			fclose(w->in);
		hj_free(w->tally);
	}
out_reader:
	hj_reader_free(rd);
out_file:
	if (in != stdin)
		fclose(in);
	return st;
}
