/* SPDX-License-Identifier: MIT */
/*
 * sdk-test: the SDK's portable modules, built for one target with
 * -DPK_HOSTED and run as a static Linux program (natively on x86_64,
 * under qemu-user on ppc64le and ppc64).  No libc: the string routines,
 * SHA-256 engines, formatter and console that run are the SDK's own.
 *
 * Protocol: one command per line on stdin, some followed by raw bytes;
 * answers on stdout, one line each.  The Python tests hold the oracles
 * (hashlib, struct, the host's snprintf through printf_oracle).
 *
 *   engines                      "engine <id> <name> <0|1> <ticks>" per
 *                                engine (ticks: pk_sha256_engine_ticks),
 *                                then "selected <name>"
 *   force <id>                   "ok" or "unsupported"
 *   sha <n> <p1> ... <pn>        then p1+...+pn bytes, fed to
 *                                pk_sha256_update in those pieces: digest
 *   prefixes <max>               then max bytes: for every length 0..max,
 *                                "<one-shot digest> <digest fed in 3 pieces>"
 *   verify <n> <s1>..<sn> <hex>  then s1+...+sn bytes, placed as scattered
 *                                regions (with empty slots between):
 *                                "<rc> <computed digest>"
 *   printf                       the printf_cases.h matrix via pk_snprintf
 *   console                      pk_printf/pk_console_write/pk_print_hex
 *                                through a stdout backend
 *   memlog <total> <len>         then len bytes, printed into a memlog
 *                                ring of total bytes: header and ring
 *   fdt <cpu>                    then 40 header bytes: read, set cpu, read
 *   fdtwalk <n> <path>...        then n bytes of a device tree, placed at
 *                                an odd address: "open <rc>", then (when
 *                                0) every node depth-first ("node <path>",
 *                                "prop <name> <len> <hex>" each), "memory
 *                                <base> <size>" and "reserved ..." per
 *                                range with their counts, and for each
 *                                path "path <path> <name>|none" and its
 *                                first reg entry
 *   memmap <n>                   then n bytes placed where
 *                                pk_memory_map_table points: "count <n>",
 *                                then "<base> <size> <type> <name>" per
 *                                range pk_memory_map() gives
 *   paging <levels> <kind> <base> <size> <probe>...
 *                                (x86_64) identity tables of kind (0: none,
 *                                1: 0-4 GiB in 1 GiB pages, 2: 0-1 GiB in
 *                                2 MiB pages), then pk_x86_64_map_uncached
 *                                of [base, base + size): "rc <rc> tables
 *                                <n>", then per probe address "<probe>
 *                                <phys|none> <page size> uc <0|1> pat
 *                                <0|1>"
 *   riscv64-tree <n>             (riscv64) then n bytes of a device tree:
 *                                its timebase and ISA extensions
 *   image <n> <s1>..<sn> <hex> <enabled>
 *                                then s1+...+sn bytes, scattered into the
 *                                runtime's own pk_verify_regions with
 *                                pk_verify_digest = hex and
 *                                pk_verify_enabled = enabled; runs
 *                                pk_verify_image with a stdout console
 *                                (after ENABLED, optionally each
 *                                region's own digest):
 *                                its output, then "rc <rc>"
 *   strings                      self-checks against reference loops:
 *                                "FAIL ..." lines, then "checked <n>"
 *   symtab <magic> <n> <off size name>... <q>...
 *                                a function table as the loader writes
 *                                it (magic 0: a wrong one; n -1: none),
 *                                then pk_print_code_address of image
 *                                start + q for each q, one line each
 */
#include <stdarg.h>
#include <stdint.h>
#include <purgkit/console.h>
#include <purgkit/fdt.h>
#include <purgkit/patch.h>
#include <purgkit/runtime.h>
#include <purgkit/sha256.h>
#include <purgkit/string.h>
#include "harness/sys.h"
#include "printf_cases.h"

/* ---- output ---- */

static char out_buf[1 << 16];
static size_t out_used;

static void out_flush(void)
{
	size_t done = 0;

	while (done < out_used) {
		long n = sys_write(1, out_buf + done, out_used - done);

		if (n <= 0)
			sys_exit(3);
		done += n;
	}
	out_used = 0;
}

static void out_char(char c)
{
	if (out_used == sizeof(out_buf))
		out_flush();
	out_buf[out_used++] = c;
}

static void out_str(const char *s)
{
	while (*s)
		out_char(*s++);
}

/* Printing through the SDK's own formatter into our buffer. */
static void out_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out_fmt(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = pk_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(line))
		sys_exit(4);
	out_str(line);
}

static void out_hex(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	while (n--) {
		out_char(digits[*p >> 4]);
		out_char(digits[*p++ & 15]);
	}
}

static __attribute__((noreturn)) void die(const char *why)
{
	out_str("error: ");
	out_str(why);
	out_char('\n');
	out_flush();
	sys_exit(2);
}

/* ---- input ---- */

static char in_buf[1 << 16];
static size_t in_pos, in_len;
static int in_eof;

static int in_fill(void)
{
	long n;

	if (in_pos < in_len)
		return 1;
	if (in_eof)
		return 0;
	n = sys_read(0, in_buf, sizeof(in_buf));
	if (n <= 0) {
		in_eof = 1;
		return 0;
	}
	in_pos = 0;
	in_len = n;
	return 1;
}

/* Read exactly n raw bytes. */
static void in_bytes(void *dst, size_t n)
{
	uint8_t *d = dst;

	while (n) {
		size_t take;

		if (!in_fill())
			die("short input");
		take = in_len - in_pos;
		if (take > n)
			take = n;
		memcpy(d, in_buf + in_pos, take);
		in_pos += take;
		d += take;
		n -= take;
	}
}

/* One line without its newline; 0 at end of input. */
static int in_line(char *line, size_t size)
{
	size_t n = 0;

	for (;;) {
		char c;

		if (!in_fill())
			return n > 0 ? (line[n] = 0, 1) : 0;
		c = in_buf[in_pos++];
		if (c == '\n')
			break;
		if (n + 1 >= size)
			die("line too long");
		line[n++] = c;
	}
	line[n] = 0;
	return 1;
}

static const char *next_word(const char **p)
{
	static char word[128];
	size_t n = 0;

	while (**p == ' ')
		(*p)++;
	while (**p && **p != ' ' && n + 1 < sizeof(word))
		word[n++] = *(*p)++;
	word[n] = 0;
	return word;
}

static uint64_t next_number(const char **p)
{
	const char *w = next_word(p);
	uint64_t v = 0;

	if (!*w)
		die("missing number");
	for (; *w; w++) {
		if (*w < '0' || *w > '9')
			die("bad number");
		v = v * 10 + (*w - '0');
	}
	return v;
}

/* ---- the data area: big enough for the largest piece or message ---- */

#define DATA_SIZE (17u << 20)
static uint8_t data[DATA_SIZE] __attribute__((aligned(64)));

/* ---- commands ---- */

static unsigned long hwcap2;

unsigned long pk_hosted_hwcap2(void)
{
	return hwcap2;
}

#if defined(__riscv)
/*
 * riscv64 names its extensions in the device tree, which a user program
 * has not: the runner passes the ISA string it started qemu-riscv64's CPU
 * with (PK_TEST_RISCV64_ISA, tests/sdk/sdk_support.py).
 */
#define RISCV64_ISA_VARIABLE "PK_TEST_RISCV64_ISA="
static const char *riscv64_isa = "";

const char *pk_hosted_riscv64_isa(void);
const char *pk_hosted_riscv64_isa(void)
{
	return riscv64_isa;
}
#endif

static void cmd_engines(void)
{
	enum pk_sha256_engine saved = pk_sha256_engine();
	int id;

	for (id = 0; id < PK_SHA256_ENGINE_COUNT; id++) {
		int ok = pk_sha256_force((enum pk_sha256_engine)id) == 0;

		out_fmt("engine %d %s %d %llu\n", id,
			pk_sha256_engine_name((enum pk_sha256_engine)id), ok,
			(unsigned long long)pk_sha256_engine_ticks(
				(enum pk_sha256_engine)id));
	}
	pk_sha256_force(saved);
	out_fmt("selected %s\n", pk_sha256_engine_name(pk_sha256_select()));
}

static void cmd_sha(const char *args)
{
	struct pk_sha256_ctx ctx;
	uint8_t digest[32];
	uint64_t pieces = next_number(&args);

	pk_sha256_init(&ctx);
	while (pieces--) {
		uint64_t len = next_number(&args);

		if (len > DATA_SIZE)
			die("piece too large");
		in_bytes(data, len);
		pk_sha256_update(&ctx, data, len);
	}
	pk_sha256_final(&ctx, digest);
	out_hex(digest, 32);
	out_char('\n');
}

static void cmd_prefixes(const char *args)
{
	uint64_t max = next_number(&args), len;

	if (max > DATA_SIZE)
		die("too long");
	in_bytes(data, max);
	for (len = 0; len <= max; len++) {
		struct pk_sha256_ctx ctx;
		uint8_t one[32], three[32];
		/* Split points that cross block boundaries differently. */
		size_t a = len / 3, b = len - len / 5;

		pk_sha256(data, len, one);
		pk_sha256_init(&ctx);
		pk_sha256_update(&ctx, data, a);
		pk_sha256_update(&ctx, data + a, b - a);
		pk_sha256_update(&ctx, data + b, len - b);
		pk_sha256_final(&ctx, three);
		out_hex(one, 32);
		out_char(' ');
		out_hex(three, 32);
		out_char('\n');
	}
}

static int unhex(const char *s, uint8_t *out, size_t n)
{
	size_t i;

	for (i = 0; i < 2 * n; i++) {
		char c = s[i];
		int v = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (v < 0)
			return -1;
		out[i / 2] = (uint8_t)(i % 2 ? out[i / 2] | v : v << 4);
	}
	return s[2 * n] ? -1 : 0;
}

static void cmd_verify(const char *args)
{
	struct pk_region regions[PK_MAX_REGIONS];
	uint8_t expected[32], computed[32];
	uint64_t n = next_number(&args), i, slot = 0, offset = 0;
	int rc;

	memset(regions, 0, sizeof(regions));
	memset(data, 0xa5, 1 << 20);
	for (i = 0; i < n; i++) {
		uint64_t size = next_number(&args);

		/* Every other slot stays empty; a gap of junk between. */
		if (slot + 1 >= PK_MAX_REGIONS || offset + size > (1 << 20))
			die("too many or too large regions");
		in_bytes(data + offset, size);
		regions[slot].start = (uintptr_t)(data + offset);
		regions[slot].size = size;
		slot += 2;
		offset += size + 17;
	}
	if (unhex(next_word(&args), expected, 32))
		die("bad digest");
	rc = pk_sha256_verify_regions(regions, PK_MAX_REGIONS, expected,
				      computed);
	out_fmt("%d ", rc);
	out_hex(computed, 32);
	out_char('\n');
}

static void printf_show(int index, int ret, const char *buf, size_t size)
{
	size_t i;

	out_fmt("%d %d ", index, ret);
	if (!size)
		out_str("-");
	for (i = 0; i < size; i++) {
		unsigned char c = buf[i];

		if (c == 0) {
			out_str("\\0");
			break;
		}
		if (c < 0x20 || c >= 0x7f || c == '\\')
			out_fmt("\\x%02x", c);
		else
			out_char(c);
	}
	out_char('\n');
}

static void cmd_printf(void)
{
	char buf[256];
	int index = 0, ret;

	/* Some cases are odd on purpose ('0' with '-', '0' with a
	 * precision): the compiler's format warnings do not apply. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#define RUN(size, ...)                                       \
	memset(buf, 'Z', sizeof(buf));                       \
	ret = pk_snprintf(buf, size, __VA_ARGS__);           \
	printf_show(index++, ret, buf, size);
	PK_PRINTF_CASES(RUN)
#undef RUN
#pragma GCC diagnostic pop
}

static void stdout_putc(struct pk_console *console, char c)
{
	out_char(c);
}

static void cmd_console(void)
{
	static struct pk_console console = { "stdout", stdout_putc, NULL };
	static const uint8_t bytes[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
	int n;

	pk_console_register(&console);
	pk_console_register(&console);	/* twice: must not print twice */
	n = pk_printf("printf %s %d %05x|", "to-console", -17, 0xbeefu);
	pk_console_write("write|", 6);
	pk_console_putc('c');
	pk_console_putc('|');
	pk_print_hex(bytes, sizeof(bytes));
	out_fmt("\nreturned %d\n", n);
}

static void cmd_memlog(const char *args)
{
	static struct pk_console console;
	static uint64_t ring[1 << 12];	/* aligned, like a real ring */
	uint64_t total = next_number(&args), len = next_number(&args);
	const struct pk_memlog_header *h = (const void *)ring;

	if (total > sizeof(ring) || len > DATA_SIZE)
		die("too large");
	in_bytes(data, len);
	memset(ring, 0xee, sizeof(ring));
	pk_console_memlog_init(&console, (uintptr_t)ring, total);
	pk_console_write((const char *)data, len);
	if (total <= sizeof(*h)) {
		out_fmt("registered %d\n", console.putc != NULL);
		return;
	}
	out_fmt("magic %llx size %llu head %llu reserved %llu\nring ",
		(unsigned long long)h->magic, (unsigned long long)h->size,
		(unsigned long long)h->head, (unsigned long long)h->reserved);
	out_hex((const uint8_t *)(h + 1), h->size);
	/* The byte after the ring must be untouched. */
	out_fmt("\nafter %02x\n", ((const uint8_t *)ring)[total]);
}

static void cmd_fdt(const char *args)
{
	uint64_t cpu = next_number(&args);
	struct pk_fdt_header hdr;
	uint8_t blob[44];
	int rc;

	in_bytes(blob + 1, 40);		/* deliberately misaligned */
	rc = pk_fdt_read_header(blob + 1, &hdr);
	out_fmt("read %d", rc);
	if (!rc)
		out_fmt(" %x %u %u %u %u %u %u %u %u %u", hdr.magic,
			hdr.totalsize, hdr.off_dt_struct, hdr.off_dt_strings,
			hdr.off_mem_rsvmap, hdr.version, hdr.last_comp_version,
			hdr.boot_cpuid_phys, hdr.size_dt_strings,
			hdr.size_dt_struct);
	rc = pk_fdt_set_boot_cpuid(blob + 1, (uint32_t)cpu);
	out_fmt("\nset %d ", rc);
	out_hex(blob + 1, 40);
	out_fmt("\nbe32 %x be64 %llx\n", pk_be32_to_cpu(0x11223344u),
		(unsigned long long)pk_be64_to_cpu(0x1122334455667788ull));
}

/* Depth-first: a node's path, properties, then its children; each
 * child's parent must be the node it was reached from. */
static void fdt_dump(const struct pk_fdt *t, int node, char *path,
		     size_t at)
{
	const char *name = pk_fdt_name(t, node);
	size_t n = strlen(name);

	if (at + n + 2 > 1024)
		die("fdtwalk: path too long");
	if (at == 0) {
		path[0] = '/';
		path[1] = 0;
		at = 1;
	} else {
		memcpy(path + at, name, n + 1);
		at += n;
	}
	out_fmt("node %s\n", path);
	for (int prop = pk_fdt_first_prop(t, node); prop >= 0;
	     prop = pk_fdt_next_prop(t, prop)) {
		const char *pname;
		uint32_t len;
		const uint8_t *v = pk_fdt_prop_at(t, prop, &pname, &len);

		out_fmt("prop %s %u ", pname, len);
		out_hex(v, len);
		out_str("\n");
	}
	for (int child = pk_fdt_first_child(t, node); child >= 0;
	     child = pk_fdt_next_sibling(t, child)) {
		if (pk_fdt_parent(t, child) != node)
			out_fmt("parent of %s is wrong\n", pk_fdt_name(t, child));
		if (at > 1)
			path[at] = '/';
		fdt_dump(t, child, path, at > 1 ? at + 1 : at);
		path[at] = 0;
	}
}

static int fdt_print_memory(void *ctx, uint64_t base, uint64_t size)
{
	out_fmt("%s %llx %llx\n", (const char *)ctx,
		(unsigned long long)base, (unsigned long long)size);
	return 0;
}

static void cmd_fdtwalk(const char *args)
{
	uint64_t n = next_number(&args);
	static char path[1024];
	struct pk_fdt t;
	int rc;

	if (n + 1 > DATA_SIZE)
		die("fdtwalk: too large");
	in_bytes(data + 1, n);
	rc = pk_fdt_open(&t, data + 1, (uint32_t)n);
	out_fmt("open %d\n", rc);
	if (rc)
		return;
	fdt_dump(&t, pk_fdt_root(&t), path, 0);
	out_fmt("memory-count %d\n",
		pk_fdt_for_each_memory(&t, fdt_print_memory, "memory"));
	out_fmt("reserved-count %d\n",
		pk_fdt_for_each_reserved(&t, fdt_print_memory, "reserved"));
	for (;;) {
		const char *want = next_word(&args);
		uint64_t base, size;
		int node;

		if (!*want)
			break;
		node = pk_fdt_path(&t, want);
		out_fmt("path %s %s", want, node >= 0 ? pk_fdt_name(&t, node) :
			"none");
		if (node >= 0 && !pk_fdt_reg(&t, node, 0, &base, &size))
			out_fmt(" reg %llx %llx", (unsigned long long)base,
				(unsigned long long)size);
		out_str("\n");
	}
}

static void cmd_memmap(const char *args)
{
	uint64_t n = next_number(&args);
	const struct pk_memory_range *r = NULL;
	uint32_t step = 0, count;

	if (n > DATA_SIZE)
		die("memmap: too large");
	in_bytes(data, n);
	pk_memory_map_table = (uint64_t)(uintptr_t)data;
	count = pk_memory_map(&r, &step);
	out_fmt("count %u\n", count);
	for (uint32_t i = 0; i < count; i++, r = pk_memory_next(r, step))
		out_fmt("%llx %llx %u %s\n", (unsigned long long)r->base,
			(unsigned long long)r->size, r->type,
			pk_memory_type_name(r->type));
	pk_memory_map_table = 0;
}

#if defined(__x86_64__)
#include <purgkit/arch/x86_64/paging.h>

static uint8_t paging_pool[64][4096] __attribute__((aligned(4096)));
static unsigned int paging_used;

static void *paging_alloc(void *ctx)
{
	(void)ctx;
	if (paging_used == 64)
		return NULL;
	memset(paging_pool[paging_used], 0, 4096);
	return paging_pool[paging_used++];
}

/* Translate addr through the tables: its physical address and page. */
static int paging_walk(uint64_t root, int levels, uint64_t addr,
		       uint64_t *phys, uint64_t *page, uint64_t *entry)
{
	const uint64_t *table = (const uint64_t *)(uintptr_t)root;

	for (int level = levels; level >= 1; level--) {
		int shift = 12 + 9 * (level - 1);
		uint64_t e = table[(addr >> shift) & 511];

		if (!(e & PK_X86_PTE_P))
			return -1;
		if (level == 1 || (level <= 3 && (e & PK_X86_PTE_PS))) {
			*page = 1ull << shift;
			*phys = (e & PK_X86_PTE_ADDR & ~(*page - 1)) |
				(addr & (*page - 1));
			*entry = e;
			return 0;
		}
		table = (const uint64_t *)(uintptr_t)(e & PK_X86_PTE_ADDR);
	}
	return -1;
}

static void cmd_paging(const char *args)
{
	int levels = (int)next_number(&args);
	uint64_t kind = next_number(&args), base = next_number(&args);
	uint64_t size = next_number(&args);
	struct pk_x86_64_paging paging = { 0, levels, paging_alloc, NULL };
	uint64_t *root, *t;
	int rc;

	paging_used = 0;
	root = paging_alloc(NULL);
	paging.root = (uint64_t)(uintptr_t)root;
	t = root;
	if (kind) {
		/* Down to the PDPT that maps 0-512 GiB. */
		for (int level = levels; level > 3; level--) {
			uint64_t *next = paging_alloc(NULL);

			t[0] = (uint64_t)(uintptr_t)next | PK_X86_PTE_P |
			       PK_X86_PTE_RW;
			t = next;
		}
	}
	if (kind == 1) {
		for (uint64_t g = 0; g < 4; g++)
			t[g] = (g << 30) | PK_X86_PTE_P | PK_X86_PTE_RW |
			       PK_X86_PTE_PS;
	} else if (kind == 2) {
		uint64_t *pd = paging_alloc(NULL);

		t[0] = (uint64_t)(uintptr_t)pd | PK_X86_PTE_P | PK_X86_PTE_RW;
		for (uint64_t m = 0; m < 512; m++)
			pd[m] = (m << 21) | PK_X86_PTE_P | PK_X86_PTE_RW |
				PK_X86_PTE_PS;
	}
	{
		unsigned int before = paging_used;

		rc = pk_x86_64_map_uncached(&paging, base, size);
		out_fmt("rc %d tables %u\n", rc, paging_used - before);
	}
	for (;;) {
		const char *w = next_word(&args);
		uint64_t probe = 0, phys, page, e;

		if (!*w)
			break;
		for (; *w; w++)
			probe = probe * 10 + (uint64_t)(*w - '0');
		if (paging_walk(paging.root, levels, probe, &phys, &page, &e)) {
			out_fmt("%llu none\n", (unsigned long long)probe);
			continue;
		}
		out_fmt("%llu %llu %llu uc %d pat %d\n",
			(unsigned long long)probe, (unsigned long long)phys,
			(unsigned long long)page,
			(e & (PK_X86_PTE_PCD | PK_X86_PTE_PWT)) ==
			(PK_X86_PTE_PCD | PK_X86_PTE_PWT),
			!!(e & (page == 4096 ? PK_X86_PTE_PAT_4K :
				PK_X86_PTE_PAT_LARGE)));
	}
}
#endif

#if defined(__riscv)
#include <purgkit/arch/riscv64/cpu.h>

/*
 * riscv64-tree <n>, then n bytes of a device tree: what the runtime reads
 * in the tree kexec hands over (sdk/lib/riscv64/devtree.c), as
 * "timebase HZ zknh 0|1 zba 0|1 c 0|1 v 0|1".
 */
static void cmd_riscv64_tree(const char *args)
{
	uint64_t n = next_number(&args);

	if (n > DATA_SIZE)
		die("riscv64-tree: too large");
	in_bytes(data, n);
	pk_riscv64_boot_fdt = (uint64_t)(uintptr_t)data;
	out_fmt("timebase %llu zknh %d zba %d c %d v %d\n",
		(unsigned long long)pk_riscv64_fdt_timebase_hz(),
		pk_riscv64_has_extension("zknh"),
		pk_riscv64_has_extension("zba"),
		pk_riscv64_has_extension("c"), pk_riscv64_has_extension("v"));
	pk_riscv64_boot_fdt = 0;
}
#endif

/*
 * The runtime's verification step exactly as a trampoline runs it, on
 * the real patchable globals, with ordinary memory standing in for the
 * segments.
 */
static void cmd_image(const char *args)
{
	static struct pk_console console = { "stdout", stdout_putc, NULL };
	uint64_t n = next_number(&args), i, offset = 0;
	int rc;

	pk_console_register(&console);
	memset(pk_verify_regions, 0, sizeof(pk_verify_regions));
	for (i = 0; i < n; i++) {
		uint64_t size = next_number(&args);

		if (i >= PK_MAX_REGIONS || offset + size > (1 << 20))
			die("too many or too large regions");
		in_bytes(data + offset, size);
		pk_verify_regions[i].start = (uintptr_t)(data + offset);
		pk_verify_regions[i].size = size;
		offset += size + 64;
	}
	if (unhex(next_word(&args), pk_verify_digest, 32))
		die("bad digest");
	pk_verify_enabled = (uint32_t)next_number(&args);
	/* Optional: each region's own digest, in order. */
	memset(pk_verify_region_digests, 0, sizeof(pk_verify_region_digests));
	for (i = 0; i < n; i++) {
		const char *word = next_word(&args);

		if (!*word)
			break;
		if (unhex(word, pk_verify_region_digests[i],
			  PK_REGION_DIGEST_SIZE))
			die("bad region digest");
	}
	rc = pk_verify_image();
	out_fmt("rc %d\n", rc);
}

/*
 * The image's bounds, as a trampoline's linker script gives them: a
 * 4 KiB stand-in that pk_symbol_name (symtab.c) names addresses in.
 */
__asm__(".pushsection .data.pk_test_image, \"aw\"\n"
	".globl pk_image_start\npk_image_start:\n.skip 4096\n"
	".globl pk_image_end\npk_image_end:\n.popsection");

static void cmd_symtab(const char *args)
{
	static struct pk_console console = { "stdout", stdout_putc, NULL };
	struct pk_symtab_header *header = (struct pk_symtab_header *)data;
	struct pk_symtab_entry *entry = (struct pk_symtab_entry *)(header + 1);
	uint64_t magic = next_number(&args);
	char count[16];
	uint32_t n = 0, i;
	char *names;

	/* next_word's buffer is reused by the next call: keep a copy. */
	memcpy(count, next_word(&args), sizeof(count) - 1);
	count[sizeof(count) - 1] = 0;
	pk_console_register(&console);
	pk_symbol_table = 0;
	if (strcmp(count, "-1")) {
		const char *p = count;

		n = (uint32_t)next_number(&p);
		header->magic = magic ? PK_SYMTAB_MAGIC : 0;
		header->count = n;
		names = (char *)(entry + n);
		header->name = names - (char *)header;
		memcpy(names, "test", 5);
		names += 5;
		for (i = 0; i < n; i++) {
			const char *name;

			entry[i].offset = (uint32_t)next_number(&args);
			entry[i].size = (uint32_t)next_number(&args);
			name = next_word(&args);
			entry[i].name = names - (char *)header;
			memcpy(names, name, strlen(name) + 1);
			names += strlen(name) + 1;
		}
		pk_symbol_table = (uintptr_t)header;
	}
	out_fmt("name %s\n", pk_trampoline_name() ? pk_trampoline_name() :
		"(none)");
	for (;;) {
		uint64_t q;

		while (*args == ' ')
			args++;
		if (!*args)
			break;
		q = next_number(&args);
		pk_print_code_address((uintptr_t)pk_image_start + q);
		pk_printf("\n");
	}
}

#include "strings_check.h"

static void cmd_strings(void)
{
	unsigned long checks = strings_check(out_fmt);

	out_fmt("checked %lu\n", checks);
}

static void run(void)
{
	char line[4096];

	while (in_line(line, sizeof(line))) {
		const char *args = line;
		const char *cmd = next_word(&args);

		if (!strcmp(cmd, "engines")) {
			cmd_engines();
		} else if (!strcmp(cmd, "force")) {
			int id = (int)next_number(&args);

			out_str(pk_sha256_force((enum pk_sha256_engine)id) ?
				"unsupported\n" : "ok\n");
		} else if (!strcmp(cmd, "sha")) {
			cmd_sha(args);
		} else if (!strcmp(cmd, "prefixes")) {
			cmd_prefixes(args);
		} else if (!strcmp(cmd, "verify")) {
			cmd_verify(args);
		} else if (!strcmp(cmd, "printf")) {
			cmd_printf();
		} else if (!strcmp(cmd, "console")) {
			cmd_console();
		} else if (!strcmp(cmd, "memlog")) {
			cmd_memlog(args);
		} else if (!strcmp(cmd, "fdt")) {
			cmd_fdt(args);
		} else if (!strcmp(cmd, "fdtwalk")) {
			cmd_fdtwalk(args);
		} else if (!strcmp(cmd, "memmap")) {
			cmd_memmap(args);
#if defined(__x86_64__)
		} else if (!strcmp(cmd, "paging")) {
			cmd_paging(args);
#endif
		} else if (!strcmp(cmd, "image")) {
			cmd_image(args);
		} else if (!strcmp(cmd, "strings")) {
			cmd_strings();
		} else if (!strcmp(cmd, "symtab")) {
			cmd_symtab(args);
#if defined(__riscv)
		} else if (!strcmp(cmd, "riscv64-tree")) {
			cmd_riscv64_tree(args);
#endif
		} else if (*cmd) {
			die("unknown command");
		}
	}
}

#define AT_NULL 0
#define AT_HWCAP2 26

void pk_test_start(long *sp);
void pk_test_start(long *sp)
{
	long argc = sp[0];
	char **envp = (char **)(sp + 1 + argc + 1);
	unsigned long *aux;

	for (; *envp; envp++) {
#if defined(__riscv)
		if (!strncmp(*envp, RISCV64_ISA_VARIABLE,
			     strlen(RISCV64_ISA_VARIABLE)))
			riscv64_isa = *envp + strlen(RISCV64_ISA_VARIABLE);
#endif
	}
	for (aux = (unsigned long *)(envp + 1); aux[0] != AT_NULL; aux += 2) {
		if (aux[0] == AT_HWCAP2)
			hwcap2 = aux[1];
	}
	run();
	out_flush();
	sys_exit(0);
}
