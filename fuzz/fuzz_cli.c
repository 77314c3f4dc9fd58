/*
 * fuzz_cli.c - libFuzzer target for the command line: the bytes are an
 * argv (one argument per line, at most 24; argv[0] is "hojo"), run
 * through the whole command (every cli/ source, its main renamed hojo_main by the
 * build). It must return one of the documented exit codes (0-4), never
 * crash, hang or leak.
 *
 * The command runs in a scratch directory holding small inputs of every
 * kind (copied from fuzz/cli-files/ once) and 'mini', a copy of the small
 * rulebook; the default rulebook is $HOJO_RULES (made absolute). So that
 * the fuzzer cannot read or write outside it, an argument containing '/'
 * or equal to ".." is refused (the input skipped), and --xlsx may only
 * write out.xlsx; an argument "serve" (the HTTP server runs until
 * stopped) is skipped. Standard input is /dev/null. Run with -close_fd_mask=3
 * (make fuzz does): the command prints a lot.
 * Build and run: make fuzz (needs clang).
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int hojo_main(int argc, char **argv);

static void copy_dir(const char *from, const char *to)
{
	DIR *d = opendir(from);
	if (!d)
		abort();
	mkdir(to, 0700);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char src[PATH_MAX], dst[PATH_MAX];
		snprintf(src, sizeof src, "%s/%s", from, e->d_name);
		snprintf(dst, sizeof dst, "%s/%s", to, e->d_name);
		FILE *in = fopen(src, "rb");
		if (!in)
			abort();
		static char buf[1 << 20];
		size_t n = fread(buf, 1, sizeof buf, in);
		fclose(in);
		fuzz_write(dst, buf, n);
	}
	closedir(d);
}

/* The directory libFuzzer was started in (its corpus and artifact paths
 * are relative to it) and the scratch directory the command runs in. */
static int home = -1, sandbox = -1;

static void setup(void)
{
	char rules[PATH_MAX], files[PATH_MAX], mini[PATH_MAX], dst[PATH_MAX];
	const char *r = getenv("HOJO_RULES") ? getenv("HOJO_RULES") : "rules";
	const char *fl = getenv("HOJO_CLI_FILES") ? getenv("HOJO_CLI_FILES") : "fuzz/cli-files";
	const char *m = getenv("HOJO_MINI") ? getenv("HOJO_MINI") : "tests/unit/rules-mini";
	if (!realpath(r, rules) || !realpath(fl, files) || !realpath(m, mini))
		abort();
	setenv("HOJO_RULES", rules, 1);
	unsetenv("COLUMNS");
	const char *s = fuzz_scratch();
	copy_dir(files, s);
	snprintf(dst, sizeof dst, "%s/mini", s);
	copy_dir(mini, dst);
	home = open(".", O_RDONLY | O_DIRECTORY);
	sandbox = open(s, O_RDONLY | O_DIRECTORY);
	if (home < 0 || sandbox < 0 || !freopen("/dev/null", "r", stdin))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		setup();
		ready = 1;
	}
	if (size > 2048)
		return 0;
	char buf[2049];
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *argv[26];
	int argc = 0;
	argv[argc++] = "hojo";
	char *p = buf;
	while (argc < 25) {
		char *nl = memchr(p, '\n', (size_t)(buf + size - p));
		if (nl)
			*nl = '\0';
		argv[argc++] = p;
		if (!nl)
			break;
		p = nl + 1;
	}
	if (p < buf + size && argc >= 25)
		return 0; /* more than 24 arguments */
	argv[argc] = NULL;
	for (int i = 1; i < argc; i++) {
		if (strchr(argv[i], '/') || !strcmp(argv[i], ".."))
			return 0;
		if (!strcmp(argv[i], "serve"))
			return 0; /* the service runs until a signal (tests/http) */
		if (!strcmp(argv[i], "--xlsx") && i + 1 < argc && strcmp(argv[i + 1], "out.xlsx"))
			return 0;
		/* 'hojo serve' (issue 9) listens until stopped: not a parser */
		if (!strcmp(argv[i], "serve"))
			return 0;
	}
	if (fchdir(sandbox))
		abort();
	int rc = hojo_main(argc, argv);
	fflush(stdout);
	fflush(stderr);
	if (fchdir(home))
		abort();
	if (rc < 0 || rc > 4)
		abort();
	return 0;
}
