/*
 * read_floor.c - the physical limit of 'hojo batch --summary' on a CSV
 * file: read it once and split it into lines and fields, evaluating
 * nothing (make bench times it like hojo, as a whole process).
 *
 *   read_floor FILE [THREADS]     (default 1; at most 8)
 *
 * Each thread reads its share of the file with pread in 1 MiB blocks and
 * counts the line ends and field separators; the counts are printed so
 * that the work cannot be optimised away.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK (1 << 20)

typedef struct part {
	int fd;
	off_t from, to;
	long lines, fields;
	pthread_t tid;
} part;

static void *scan(void *arg)
{
	part *p = arg;
	char *buf = malloc(BLOCK);
	if (!buf)
		return NULL;
	for (off_t at = p->from; at < p->to;) {
		size_t want = (size_t)(p->to - at < BLOCK ? p->to - at : BLOCK);
		ssize_t got = pread(p->fd, buf, want, at);
		if (got <= 0)
			break;
		for (ssize_t i = 0; i < got; i++) {
			p->lines += buf[i] == '\n';
			p->fields += buf[i] == ',' || buf[i] == '\n';
		}
		at += got;
	}
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: read_floor FILE [THREADS]\n");
		return 2;
	}
	int n = argc == 3 ? atoi(argv[2]) : 1;
	if (n < 1 || n > 8)
		n = 1;
	int fd = open(argv[1], O_RDONLY);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb)) {
		perror(argv[1]);
		return 1;
	}
	part ps[8];
	for (int i = 0; i < n; i++) {
		ps[i] = (part){ fd, sb.st_size / n * i, i == n - 1 ? sb.st_size : sb.st_size / n * (i + 1), 0, 0, 0 };
		if (pthread_create(&ps[i].tid, NULL, scan, &ps[i]))
			return 1;
	}
	long lines = 0, fields = 0;
	for (int i = 0; i < n; i++) {
		pthread_join(ps[i].tid, NULL);
		lines += ps[i].lines;
		fields += ps[i].fields;
	}
	printf("%ld lines, %ld fields\n", lines, fields);
	return 0;
}
