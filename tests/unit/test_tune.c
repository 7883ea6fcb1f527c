/*
 * test_tune: chr_tune_exec and chr_tune_wanted (src/core/tune.c).
 *
 * Design note: the re-execution is observed from the inside: a forked
 * child calls chr_tune_exec with this binary's own arguments plus
 * "--child FILE", so the program it becomes (this test again) writes the
 * GLIBC_TUNABLES it was started with into FILE, or the child writes
 * "(no exec)" when chr_tune_exec returned.  getenv is read, not
 * /proc/PID/environ, whose copy glibc truncates after the first tunable
 * it parses.  Cases that need the kernel's "madvise" THP mode and glibc
 * 2.35 are skipped, with a message, where the machine has neither.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chronicle.h"
#include "harness.h"

static char *self_path;
static char out_path[256];

/* Run a child with the given GLIBC_TUNABLES (NULL: unset) and
 * CHRONICLE_HUGEPAGES (NULL: unset); return what it wrote. */
static const char *child_saw(const char *tunables, const char *opt,
			     char *buf, size_t cap)
{
	remove(out_path);
	pid_t pid = fork();
	if (pid == 0) {
		unsetenv("LD_PRELOAD");
		if (tunables)
			setenv("GLIBC_TUNABLES", tunables, 1);
		else
			unsetenv("GLIBC_TUNABLES");
		if (opt)
			setenv("CHRONICLE_HUGEPAGES", opt, 1);
		else
			unsetenv("CHRONICLE_HUGEPAGES");
		char *argv[] = { self_path, "--child", out_path, NULL };
		chr_tune_exec(argv);
		FILE *f = fopen(out_path, "w");
		if (f) {
			fputs("(no exec)", f);
			fclose(f);
		}
		_exit(0);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	buf[0] = 0;
	FILE *f = fopen(out_path, "r");
	if (f) {
		if (!fgets(buf, (int)cap, f))
			buf[0] = 0;
		fclose(f);
	}
	return buf;
}

static int machine_ok(void)
{
	unsetenv("LD_PRELOAD");
	unsetenv("GLIBC_TUNABLES");
	unsetenv("CHRONICLE_HUGEPAGES");
	return chr_tune_wanted();
}

static void test_opt_outs(void)
{
	setenv("CHRONICLE_HUGEPAGES", "0", 1);
	CHECK_INT(chr_tune_wanted(), 0);
	unsetenv("CHRONICLE_HUGEPAGES");
	setenv("LD_PRELOAD", "libsomething.so", 1);
	CHECK_INT(chr_tune_wanted(), 0);
	unsetenv("LD_PRELOAD");
	setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0", 1);
	CHECK_INT(chr_tune_wanted(), 0); /* the owner's own choice stands */
	unsetenv("GLIBC_TUNABLES");
	chr_tune_exec(NULL); /* nothing to run: returns */
}

static void test_reexec(void)
{
	if (!machine_ok())
		SKIP("kernel THP mode is not madvise, or glibc is older than 2.35");
	char buf[512];
	CHECK_STR(child_saw(NULL, NULL, buf, sizeof buf),
		  "glibc.malloc.hugetlb=1");
	CHECK_STR(child_saw("glibc.malloc.check=0", NULL, buf, sizeof buf),
		  "glibc.malloc.check=0:glibc.malloc.hugetlb=1");
	CHECK_STR(child_saw("", NULL, buf, sizeof buf),
		  "glibc.malloc.hugetlb=1");
	CHECK_STR(child_saw(NULL, "0", buf, sizeof buf), "(no exec)");
	CHECK_STR(child_saw(NULL, "1", buf, sizeof buf),
		  "glibc.malloc.hugetlb=1");
	/* the program it became does not re-execute again */
	CHECK_STR(child_saw("glibc.malloc.hugetlb=1", NULL, buf, sizeof buf),
		  "(no exec)");
}

static const th_test tests[] = {
	TEST(test_opt_outs),
	TEST(test_reexec),
};

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--child")) {
		FILE *f = fopen(argv[2], "w");
		if (!f)
			return 1;
		const char *t = getenv("GLIBC_TUNABLES");
		fputs(t ? t : "(unset)", f);
		fclose(f);
		return 0;
	}
	self_path = argv[0];
	snprintf(out_path, sizeof out_path, "/tmp/chr_test_tune.%d.out",
		 (int)getpid());
	int rc = th_run("tune", tests, sizeof tests / sizeof tests[0]);
	remove(out_path);
	return rc;
}
