/* SPDX-License-Identifier: MIT */
/*
 * Building a plan: memory map, payload type, trampoline, the runtime's
 * patches (console, verification) and the final rule check.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crash.h"
#include "plan.h"
#include "uki.h"

/* Bytes reserved for --console=memlog without an address, header included. */
#define PK_MEMLOG_DEFAULT_SIZE (64 * 1024)

extern const struct pk_payload_type *const __start_pk_payload_types[];
extern const struct pk_payload_type *const __stop_pk_payload_types[];

const struct pk_payload_type *const *pk_payload_types(size_t *count)
{
	*count = __stop_pk_payload_types - __start_pk_payload_types;
	return __start_pk_payload_types;
}

bool pk_payload_type_serves(const struct pk_payload_type *type,
			    const struct pk_arch *arch)
{
	return pk_word_in(type->arches, arch->name);
}

/*
 * Options that only some payload types read.  A type lists the ones it
 * reads in pk_payload_type.options; any other one given is refused by
 * name, so that a file named by a misplaced --initrd is never silently
 * left behind.
 */
static const struct {
	const char *name;	/* as in pk_payload_type.options */
	const char *spelling;	/* as the user sees it */
} pk_payload_options[] = {
	{ "initrd", "--initrd" },
	{ "append", "--append/--command-line" },
	{ "reuse-cmdline", "--reuse-cmdline" },
	{ "dtb", "--dtb" },
	{ "module", "--module" },
	{ "address", "--address" },
	{ "entry", "--entry" },
	{ "mode", "--mode" },
	{ "real-mode", "--real-mode" },
	{ "bios-irq", "--no-bios-irq-restore" },
	{ "reg", "--reg" },
	{ "secondary-entry", "--secondary-entry" },
};

/* Refuse a payload option (--initrd, --module...) the type does not read. */
static int pk_plan_check_type_options(const struct pk_options *opts,
				      const struct pk_payload_type *type,
				      const struct pk_arch *arch)
{
	/* Was each of pk_payload_options given?  In the table's order. */
	const bool given[] = {
		opts->initrd, opts->command_line, opts->reuse_cmdline,
		opts->dtb, opts->module_count, opts->have_address,
		opts->have_entry, opts->mode && !opts->real_mode,
		opts->real_mode, opts->no_bios_irq_restore, opts->reg_count,
		opts->have_secondary_entry,
	};

	_Static_assert(sizeof(given) / sizeof(given[0]) ==
		       sizeof(pk_payload_options) /
		       sizeof(pk_payload_options[0]),
		       "one 'given' per payload option");
	for (size_t i = 0; i < sizeof(pk_payload_options) /
		     sizeof(pk_payload_options[0]); i++) {
		const char *name = pk_payload_options[i].name;
		char takes[256] = "";
		size_t len = 0;

		if (!given[i] || pk_word_in(type->options, name))
			continue;
		for (size_t k = 0; k < sizeof(pk_payload_options) /
			     sizeof(pk_payload_options[0]); k++)
			if (pk_word_in(type->options,
				       pk_payload_options[k].name))
				len += snprintf(takes + len,
						sizeof(takes) - len, "%s%s",
						len ? ", " : "",
						pk_payload_options[k].spelling);
		return pk_error("%s is not used by payload type %s on %s "
				"(it takes %s); leave it out",
				pk_payload_options[i].spelling, type->name,
				arch->name, len ? takes : "none of them");
	}
	return 0;
}

static int pk_plan_choose_type(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	const struct pk_payload_type *const *types, *best = NULL;
	int best_score = 0;
	size_t count;

	types = pk_payload_types(&count);
	if (opts->type) {
		for (size_t i = 0; i < count; i++)
			if (!strcmp(types[i]->name, opts->type) &&
			    pk_payload_type_serves(types[i], plan->arch))
				plan->type = types[i];
		if (!plan->type)
			return pk_error("--type=%s is not a payload type for "
					"%s (see --help)", opts->type,
					plan->arch->name);
		return 0;
	}
	for (size_t i = 0; i < count; i++) {
		int score;

		if (!pk_payload_type_serves(types[i], plan->arch) ||
		    !types[i]->detect)
			continue;
		score = types[i]->detect(&plan->payload, plan->arch);
		/*
		 * A detector asks a question: the error its parser recorded
		 * is not the run's, and must not hide the one the chosen
		 * type's build() will give (the first error wins).
		 */
		if (pk_error_message()) {
			pk_debug("detect: %s: %s", types[i]->name,
				 pk_error_message());
			pk_error_reset();
		}
		pk_debug("detect: %s scores %d", types[i]->name, score);
		if (score > best_score) {
			best = types[i];
			best_score = score;
		}
	}
	if (!best)
		return pk_error("%s: cannot tell what kind of payload this is "
				"for %s; give --type", plan->payload.path,
				plan->arch->name);
	plan->type = best;
	plan->type_detected = true;
	fprintf(stderr, "purgkit-load: %s: detected payload type '%s'\n",
		plan->payload.path, best->name);
	return 0;
}

struct pk_unwrap_record *pk_plan_note_unwrap(struct pk_plan *plan,
					     const char *input,
					     const char *file,
					     const char *format)
{
	struct pk_unwrap_record *r;

	plan->unwraps = pk_xgrow(plan->unwraps, plan->unwrap_count,
				 sizeof(*plan->unwraps));
	r = &plan->unwraps[plan->unwrap_count++];
	memset(r, 0, sizeof(*r));
	snprintf(r->input, sizeof(r->input), "%s", input);
	snprintf(r->file, sizeof(r->file), "%s", file);
	snprintf(r->format, sizeof(r->format), "%s", format);
	return r;
}

void pk_plan_note_inflated(struct pk_plan *plan, const char *input,
			   const struct pk_file *file)
{
	struct pk_unwrap_record *r;

	if (!file->unwrapped)
		return;
	r = pk_plan_note_unwrap(plan, input, file->path, file->unwrapped);
	r->size = file->packed_size;
	r->unwrapped_size = file->size;
	snprintf(r->note, sizeof(r->note), "decompressed");
}

/* A UKI payload, taken apart (pk_plan_unwrap_uki). */
struct pk_plan_uki {
	char *linux_name;	/* "FILE:.linux": the payload's path now */
	char *initrd_name;	/* "FILE:.initrd", "FILE:.ucode+.initrd" */
	uint8_t *initrd;	/* .ucode's bytes, then .initrd's */
	size_t initrd_size;
	char *cmdline;		/* NULL: no .cmdline */
	char *dtb_name;		/* "FILE:.dtb" */
	uint8_t *dtb;		/* the first .dtb */
	size_t dtb_size;
	/* Indexes of their records in plan->unwraps (SIZE_MAX: none). */
	size_t initrd_record, ucode_record, cmdline_record, dtb_record;
	bool use_initrd, use_dtb;
	/* The user's options with .cmdline as the command line. */
	struct pk_options opts;
};

static struct pk_unwrap_record *pk_plan_note_section(
	struct pk_plan *plan, const char *input,
	const struct pk_uki_section *section, const char *name,
	size_t *index)
{
	struct pk_unwrap_record *r = pk_plan_note_unwrap(plan, input,
			plan->payload.path, "uki");

	snprintf(r->section, sizeof(r->section), "%s", name);
	r->offset = section->offset;
	r->size = section->size;
	if (index)
		*index = plan->unwrap_count - 1;
	return r;
}

/*
 * A .cmdline section as systemd-stub reads it: text up to its first NUL,
 * control characters (a trailing newline from the file ukify read) as
 * spaces, without spaces at either end.
 */
static char *pk_uki_command_line(const uint8_t *bytes, size_t size)
{
	size_t len = strnlen((const char *)bytes, size), start = 0;
	char *text = pk_xzalloc(len + 1);

	for (size_t i = 0; i < len; i++)
		text[i] = bytes[i] < 0x20 || bytes[i] == 0x7f ? ' ' :
							       (char)bytes[i];
	while (len && text[len - 1] == ' ')
		text[--len] = '\0';
	while (text[start] == ' ')
		start++;
	memmove(text, text + start, len - start + 1);
	return text;
}

/*
 * A UKI payload: .linux becomes the payload (named "FILE:.linux"), and
 * the initrd (.ucode, then .initrd: the microcode archive first, as
 * systemd-stub hands them over), the command line and the device tree
 * are kept for pk_plan_apply_uki.
 */
static int pk_plan_unwrap_uki(struct pk_plan *plan)
{
	struct pk_file *file = &plan->payload;
	const char *path = file->path;
	struct pk_plan_uki *u;
	struct pk_uki uki;
	uint8_t *linux_bytes;
	int is = pk_uki_parse(file, &uki);

	if (is <= 0)
		return is;
	u = plan->uki = pk_xzalloc(sizeof(*u));
	u->initrd_record = u->ucode_record = u->cmdline_record =
		u->dtb_record = SIZE_MAX;
	u->linux_name = pk_xzalloc(strlen(path) + 8);
	sprintf(u->linux_name, "%s:.linux", path);
	snprintf(pk_plan_note_section(plan, "payload", &uki.linux_, ".linux",
				      NULL)->note,
		 sizeof(plan->unwraps[0].note), "the kernel%s",
		 uki.profiles ? " (profile @0, the default)" : "");
	if (uki.ucode.present)
		pk_plan_note_section(plan, "initrd", &uki.ucode, ".ucode",
				     &u->ucode_record);
	if (uki.initrd.present)
		pk_plan_note_section(plan, "initrd", &uki.initrd, ".initrd",
				     &u->initrd_record);
	u->initrd_size = (uki.ucode.present ? uki.ucode.size : 0) +
			 (uki.initrd.present ? uki.initrd.size : 0);
	if (u->initrd_size) {
		u->initrd = pk_xzalloc(u->initrd_size);
		if (uki.ucode.present)
			memcpy(u->initrd, file->data + uki.ucode.offset,
			       uki.ucode.size);
		if (uki.initrd.present)
			memcpy(u->initrd + (uki.ucode.present ?
					    uki.ucode.size : 0),
			       file->data + uki.initrd.offset,
			       uki.initrd.size);
		u->initrd_name = pk_xzalloc(strlen(path) + 24);
		sprintf(u->initrd_name, "%s:%s%s%s", path,
			uki.ucode.present ? ".ucode" : "",
			uki.ucode.present && uki.initrd.present ? "+" : "",
			uki.initrd.present ? ".initrd" : "");
	}
	if (uki.cmdline.present) {
		pk_plan_note_section(plan, "command line", &uki.cmdline,
				     ".cmdline", &u->cmdline_record);
		u->cmdline = pk_uki_command_line(file->data +
						 uki.cmdline.offset,
						 uki.cmdline.size);
	}
	if (uki.dtb.present && uki.dtb.size) {
		pk_plan_note_section(plan, "device tree", &uki.dtb, ".dtb",
				     &u->dtb_record);
		u->dtb_size = uki.dtb.size;
		u->dtb = pk_xzalloc(u->dtb_size);
		memcpy(u->dtb, file->data + uki.dtb.offset, u->dtb_size);
		u->dtb_name = pk_xzalloc(strlen(path) + 8);
		sprintf(u->dtb_name, "%s:.dtb", path);
	}
	linux_bytes = pk_xzalloc(uki.linux_.size);
	memcpy(linux_bytes, file->data + uki.linux_.offset, uki.linux_.size);
	free(file->data);
	file->data = linux_bytes;
	file->size = uki.linux_.size;
	file->path = u->linux_name;
	return 0;
}

/*
 * What a payload is wrapped in, taken off before any type looks at it:
 * a UKI, then compression (pk_file_inflate: gzip, xz, lzma, lz4, zstd).
 */
static int pk_plan_unwrap_payload(struct pk_plan *plan)
{
	if (pk_plan_unwrap_uki(plan) < 0 ||
	    pk_file_inflate(&plan->payload, "payload"))
		return -1;
	pk_plan_note_inflated(plan, "payload", &plan->payload);
	return 0;
}

static void pk_plan_uki_note(struct pk_plan *plan, size_t index,
			     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void pk_plan_uki_note(struct pk_plan *plan, size_t index,
			     const char *fmt, ...)
{
	va_list ap;

	if (index == SIZE_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(plan->unwraps[index].note, sizeof(plan->unwraps[0].note),
		  fmt, ap);
	va_end(ap);
}

/*
 * A UKI's parts, for the chosen type: its .initrd and .cmdline are used
 * unless --initrd or --append (or --reuse-cmdline) say otherwise, as
 * kexec-tools and systemd-stub use them; each record says what became of
 * the section.
 */
static void pk_plan_apply_uki(struct pk_plan *plan)
{
	struct pk_plan_uki *u = plan->uki;
	const struct pk_options *opts = plan->opts;
	const char *type = plan->type->name, *arch = plan->arch->name;

	if (!u)
		return;
	if (!pk_word_in(plan->type->options, "initrd")) {
		pk_plan_uki_note(plan, u->ucode_record, "not used: payload "
				 "type %s takes no initrd", type);
		pk_plan_uki_note(plan, u->initrd_record, "not used: payload "
				 "type %s takes no initrd", type);
	} else if (opts->initrd) {
		pk_plan_uki_note(plan, u->ucode_record, "not used: --initrd "
				 "replaces the UKI's initrd");
		pk_plan_uki_note(plan, u->initrd_record, "not used: --initrd "
				 "replaces the UKI's initrd");
	} else if (u->initrd_size) {
		u->use_initrd = true;
		pk_plan_uki_note(plan, u->ucode_record, "the initrd, first "
				 "(microcode)");
		pk_plan_uki_note(plan, u->initrd_record, "the initrd");
	} else {
		pk_plan_uki_note(plan, u->ucode_record, "empty: no initrd");
		pk_plan_uki_note(plan, u->initrd_record, "empty: no initrd");
	}
	if (u->cmdline_record == SIZE_MAX) {
		/* No .cmdline: the user's, as for any kernel. */
	} else if (!pk_word_in(plan->type->options, "append")) {
		pk_plan_uki_note(plan, u->cmdline_record, "not used: payload "
				 "type %s takes no command line", type);
	} else if (opts->command_line || opts->reuse_cmdline) {
		pk_plan_uki_note(plan, u->cmdline_record, "not used: %s gives "
				 "the command line", opts->command_line ?
				 "--append" : "--reuse-cmdline");
	} else {
		u->opts = *opts;
		u->opts.command_line = u->cmdline;
		plan->opts = &u->opts;
		pk_plan_uki_note(plan, u->cmdline_record, "the command line: "
				 "%s", u->cmdline);
	}
	if (!pk_word_in(plan->type->options, "dtb")) {
		pk_plan_uki_note(plan, u->dtb_record, "not used: payload type "
				 "%s on %s takes no device tree", type, arch);
	} else if (opts->dtb) {
		pk_plan_uki_note(plan, u->dtb_record, "not used: --dtb "
				 "replaces it");
	} else if (u->dtb) {
		u->use_dtb = true;
		pk_plan_uki_note(plan, u->dtb_record, "the device tree");
	}
}

bool pk_plan_gives_dtb(const struct pk_plan *plan)
{
	return plan->opts->dtb || (plan->uki && plan->uki->use_dtb);
}

int pk_plan_read_dtb(const struct pk_plan *plan, struct pk_file *file)
{
	memset(file, 0, sizeof(*file));
	if (plan->opts->dtb)
		return pk_file_read(plan->opts->dtb, "device tree", file);
	if (plan->uki && plan->uki->use_dtb) {
		file->data = pk_xzalloc(plan->uki->dtb_size);
		memcpy(file->data, plan->uki->dtb, plan->uki->dtb_size);
		file->size = plan->uki->dtb_size;
		file->path = plan->uki->dtb_name;
	}
	return 0;
}

int pk_plan_read_initrd(struct pk_plan *plan, struct pk_file *file)
{
	struct pk_unwrap_record *r;
	const char *format;

	memset(file, 0, sizeof(*file));
	if (plan->opts->initrd) {
		if (pk_file_read(plan->opts->initrd, "initrd", file))
			return -1;
	} else if (plan->uki && plan->uki->use_initrd) {
		file->data = pk_xzalloc(plan->uki->initrd_size);
		memcpy(file->data, plan->uki->initrd, plan->uki->initrd_size);
		file->size = plan->uki->initrd_size;
		file->path = plan->uki->initrd_name;
	} else {
		return 0;
	}
	/* The kernel unpacks a compressed initramfs itself (docs/loader.md):
	 * it is loaded as it is, and the plan says so. */
	format = pk_unwrap_format(file->data, file->size);
	if (format) {
		r = pk_plan_note_unwrap(plan, "initrd", file->path, format);
		r->size = file->size;
		snprintf(r->note, sizeof(r->note), "left compressed: the "
			 "kernel unpacks it");
	}
	return 0;
}

/* No input file can be larger than the target's usable RAM. */
static void pk_plan_limit_files(const struct pk_plan *plan)
{
	uint64_t ram = 0;
	char why[200];

	for (size_t i = 0; i < plan->memmap.count; i++)
		if (plan->memmap.ranges[i].type == PK_MEM_RAM)
			ram += plan->memmap.ranges[i].end -
			       plan->memmap.ranges[i].start;
	snprintf(why, sizeof(why), "the 0x%llx bytes of RAM in %s",
		 HEX(ram), plan->memmap.source);
	pk_file_set_limit(ram, why);
}

static int pk_plan_read_memmap(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	const struct pk_arch *host = pk_arch_host();

	if (opts->memmap_file) {
		if (pk_memmap_read_file(&plan->memmap, opts->memmap_file))
			return -1;
	} else if (host && host->read_system_memmap) {
		if (host->read_system_memmap(&plan->memmap))
			return -1;
	} else {
		return pk_error("reading this system's memory map is not built "
				"in; use --memmap=FILE");
	}
	if (plan->memmap.page_size)
		plan->page_size = plan->memmap.page_size;
	else if (!opts->memmap_file && host == plan->arch)
		plan->page_size = sysconf(_SC_PAGESIZE);
	else
		plan->page_size = plan->arch->page_size;
	pk_debug("memory map from %s: %zu ranges, page size %llu",
		 plan->memmap.source, plan->memmap.count,
		 HEX(plan->page_size));
	pk_plan_limit_files(plan);
	return 0;
}

static int pk_plan_choose_arch(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	const char *name = opts->arch;

	if (!name && opts->memmap_file) {
		/* Peek at the file's "arch" line before reading it for real. */
		struct pk_memmap peek = { 0 };

		if (pk_memmap_read_file(&peek, opts->memmap_file)) {
			pk_memmap_free(&peek);
			return -1;
		}
		if (peek.arch_name)
			name = peek.arch_name;
		pk_memmap_free(&peek);
	}
	plan->arch = name ? pk_arch_find(name) : pk_arch_host();
	if (!plan->arch)
		return pk_error("unknown architecture '%s' (%s)",
				name ? name : "of this host", pk_arch_names());
	return 0;
}

/*
 * "trampoline NAME: why" from the relocator's "NAME: why" (or its file
 * reader's "input NAME: why"): the name once, not twice.
 */
static int pk_plan_trampoline_error(const struct pk_plan *plan,
				    const char *text)
{
	size_t n = strlen(plan->trampoline_name);

	if (!strncmp(text, "input ", 6))
		text += 6;
	if (!strncmp(text, plan->trampoline_name, n) && text[n] == ':' &&
	    text[n + 1] == ' ')
		text += n + 2;
	return pk_error("trampoline %s: %s", plan->trampoline_name, text);
}

static int pk_plan_open_trampoline(struct pk_plan *plan, const char *name)
{
	const char *path = plan->opts->purgatory;
	char err[512] = "";

	if (path) {
		plan->trampoline = pk_reloc_open_file(path, err, sizeof(err));
		snprintf(plan->trampoline_name, sizeof(plan->trampoline_name),
			 "%s", path);
	} else {
		for (size_t i = 0; i < pk_builtin_trampoline_count; i++) {
			const struct pk_builtin_trampoline *t =
				&pk_builtin_trampolines[i];

			if (strcmp(t->arch, plan->arch->name) ||
			    strcmp(t->name, name))
				continue;
			plan->trampoline = pk_reloc_open(t->start,
							 t->end - t->start,
							 t->name, err,
							 sizeof(err));
			snprintf(plan->trampoline_name,
				 sizeof(plan->trampoline_name), "%s", name);
			break;
		}
		if (!plan->trampoline && !err[0])
			return pk_error("the built-in trampoline '%s' for %s is "
					"not in this build; give "
					"--purgatory=FILE.ro", name,
					plan->arch->name);
	}
	if (!plan->trampoline)
		return pk_plan_trampoline_error(plan, err[0] ? err :
						"cannot be opened");
	if (pk_reloc_machine(plan->trampoline) != plan->arch->machine)
		return pk_error("trampoline %s is built for %s, the payload is "
				"for %s", plan->trampoline_name,
				pk_reloc_machine_name(plan->trampoline),
				plan->arch->name);
	return 0;
}

/* The trampoline's name for people and its table: a file's base name. */
static const char *pk_plan_trampoline_short_name(const struct pk_plan *plan)
{
	const char *slash = strrchr(plan->trampoline_name, '/');

	return slash ? slash + 1 : plan->trampoline_name;
}

struct pk_symtab_function {
	uint64_t offset, size;
	const char *name;
};

static int pk_symtab_function_compare(const void *a, const void *b)
{
	const struct pk_symtab_function *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Bytes of the function table for the open trampoline (names and count
 * are known before it is placed). */
static uint64_t pk_symtab_bytes(struct pk_plan *plan)
{
	size_t count = pk_reloc_function_count(plan->trampoline);
	uint64_t bytes = sizeof(struct pk_symtab_header) +
			 count * sizeof(struct pk_symtab_entry) +
			 strlen(pk_plan_trampoline_short_name(plan)) + 1;
	struct pk_reloc_symbol f;

	for (size_t i = 0; i < count; i++)
		if (!pk_reloc_function_at(plan->trampoline, i, &f))
			bytes += strlen(f.name) + 1;
	return (bytes + 7) & ~(uint64_t)7;
}

/*
 * Write the function table (struct pk_symtab_header, purgkit/patch.h)
 * for the placed trampoline into plan->symtab, in the target's byte
 * order, and point pk_symbol_table at it.
 */
static int pk_plan_write_symtab(struct pk_plan *plan)
{
	const struct pk_arch *arch = plan->arch;
	struct pk_reloc *r = plan->trampoline;
	size_t count = pk_reloc_function_count(r), n = 0;
	struct pk_symtab_function *f = pk_xzalloc(count ? count * sizeof(*f) : 1);
	struct pk_symtab_header *header;
	struct pk_symtab_entry *entry;
	uint64_t base = pk_reloc_base(r), end = base + pk_reloc_size(r);
	const char *own = pk_plan_trampoline_short_name(plan);
	size_t at;

	for (size_t i = 0; i < count; i++) {
		struct pk_reloc_symbol s;

		if (pk_reloc_function_at(r, i, &s) || s.address < base ||
		    s.address >= end)
			continue;
		f[n].offset = s.address - base;
		f[n].size = s.size;
		f[n].name = s.name;
		n++;
	}
	qsort(f, n, sizeof(*f), pk_symtab_function_compare);
	plan->symtab = pk_xzalloc(plan->symtab_size);
	header = (struct pk_symtab_header *)plan->symtab;
	entry = (struct pk_symtab_entry *)(header + 1);
	at = sizeof(*header) + n * sizeof(*entry);
	pk_put64(arch, &header->magic, PK_SYMTAB_MAGIC);
	pk_put32(arch, &header->count, n);
	pk_put32(arch, &header->name, at);
	memcpy(plan->symtab + at, own, strlen(own) + 1);
	at += strlen(own) + 1;
	for (size_t i = 0; i < n; i++) {
		pk_put32(arch, &entry[i].offset, f[i].offset);
		pk_put32(arch, &entry[i].size,
			 f[i].size > UINT32_MAX ? 0 : f[i].size);
		pk_put32(arch, &entry[i].name, at);
		memcpy(plan->symtab + at, f[i].name, strlen(f[i].name) + 1);
		at += strlen(f[i].name) + 1;
	}
	free(f);
	return PK_PLAN_PATCH_INT(plan, pk_symbol_table,
				 base + plan->symtab_offset);
}

int pk_plan_use_trampoline(struct pk_plan *plan, const char *name,
			   uint64_t min, uint64_t max)
{
	struct pk_segment *segment;
	uint64_t size, align, base;

	if (plan->trampoline)
		return pk_error("internal: a second trampoline was asked for");
	if (pk_plan_open_trampoline(plan, name))
		return -1;
	size = pk_reloc_size(plan->trampoline);
	align = pk_reloc_align(plan->trampoline);
	/* A trampoline of this SDK takes its function table after it. */
	if (pk_plan_has_symbol(plan, PK_SYMBOL(pk_symbol_table))) {
		plan->symtab_offset = (size + 7) & ~(uint64_t)7;
		plan->symtab_size = pk_symtab_bytes(plan);
		size = plan->symtab_offset + plan->symtab_size;
	}
	/* And the memory map: every range of the loader's map, split at
	 * most once more per segment, plus each segment itself. */
	if (pk_plan_has_symbol(plan, PK_SYMBOL(pk_memory_map_table))) {
		plan->memory_map_offset = (size + 7) & ~(uint64_t)7;
		plan->memory_map_size = sizeof(struct pk_memory_map_header) +
			(plan->memmap.count + 2 * PK_KEXEC_MAX_SEGMENTS) *
			sizeof(struct pk_memory_range);
		size = plan->memory_map_offset + plan->memory_map_size;
	}
	if (pk_plan_find_free(plan, size, align, min, max, true, &base,
			      "the trampoline"))
		return -1;
	if (pk_reloc_place(plan->trampoline, base))
		return pk_plan_trampoline_error(plan,
				pk_reloc_error(plan->trampoline));
	if (pk_reloc_entry(plan->trampoline, &plan->entry))
		return pk_plan_trampoline_error(plan,
				pk_reloc_error(plan->trampoline));
	if (plan->symtab_size && pk_plan_write_symtab(plan))
		return -1;
	/* Bytes are copied in by pk_plan_finish, after every patch. */
	segment = pk_plan_add_segment(plan, NULL, 0, base, size,
				      "trampoline %s", plan->trampoline_name);
	if (!segment)
		return -1;
	segment->trampoline = true;
	segment->verify = false;
	plan->trampoline_segment = segment;
	return 0;
}

bool pk_plan_has_symbol(struct pk_plan *plan, const char *symbol)
{
	struct pk_reloc_symbol info;

	return plan->trampoline &&
	       pk_reloc_symbol(plan->trampoline, symbol, &info) == 0;
}

static void pk_patch_record_free(struct pk_patch_record *rec)
{
	free(rec->symbol);
	free(rec->bytes);
}

/*
 * Keep what a successful patch left in the trampoline's image, to show it
 * in the plan: its bytes as the relocator wrote them, and the integer
 * they hold when the patch was one.  Nothing is encoded twice.
 */
static void pk_plan_record_patch(struct pk_plan *plan, const char *symbol,
				 bool is_int, bool from_set)
{
	struct pk_patch_record *rec;
	struct pk_reloc_symbol info;
	const uint8_t *bytes;

	/* Cannot fail: the symbol was just patched. */
	pk_reloc_symbol(plan->trampoline, symbol, &info);
	bytes = pk_reloc_image(plan->trampoline) +
		(info.address - pk_reloc_base(plan->trampoline));
	for (size_t i = 0; i < plan->patch_count; i++) {
		if (!strcmp(plan->patches[i].symbol, symbol)) {
			pk_patch_record_free(&plan->patches[i]);
			memmove(&plan->patches[i], &plan->patches[i + 1],
				(plan->patch_count - i - 1) *
					sizeof(*plan->patches));
			plan->patch_count--;
			break;
		}
	}
	plan->patches = pk_xgrow(plan->patches, plan->patch_count,
				 sizeof(*plan->patches));
	rec = &plan->patches[plan->patch_count++];
	rec->symbol = pk_xstrdup(symbol);
	rec->bytes = pk_xzalloc(info.size);
	memcpy(rec->bytes, bytes, info.size);
	rec->size = info.size;
	rec->is_int = is_int;
	rec->value = is_int ? pk_get_uint(plan->arch, bytes, info.size) : 0;
	rec->from_set = from_set;
}

static const struct pk_patch_record *pk_plan_patched(
	const struct pk_plan *plan, const char *symbol)
{
	for (size_t i = 0; i < plan->patch_count; i++)
		if (!strcmp(plan->patches[i].symbol, symbol))
			return &plan->patches[i];
	return NULL;
}

/*
 * What a user changes instead of --set on a symbol the loader fills: the
 * plan must describe what the trampoline will do, so the two may not
 * disagree (a --set pk_verify_enabled=0 under "verification: on").
 */
static const char *pk_plan_owner_option(const char *symbol)
{
	static const struct {
		const char *prefix, *option;
	} owners[] = {
		{ "pk_verify_", "--no-checks" },
		{ "pk_console_", "--console" },
		{ "pk_serial_", "--console=serial,PORT,BAUD" },
		{ "pk_memlog_", "--console=memlog,ADDR" },
		{ "pk_timebase_hz", "--dtb (its timebase-frequency)" },
		{ "pk_secondary_entry", "--secondary-entry" },
		{ "pk_x86_", "--reg and --mode" },
		{ "pk_ppc64_regs", "--reg" },
		{ "pk_linux_entry_mode", "--mode" },
		{ "pk_linux_entry", "--entry, or the payload itself" },
	};

	for (size_t i = 0; i < sizeof(owners) / sizeof(owners[0]); i++)
		if (!strncmp(symbol, owners[i].prefix,
			     strlen(owners[i].prefix)))
			return owners[i].option;
	return "the payload and its options";
}

/* The loader's own patch of a symbol a --set already wrote: refused. */
static int pk_plan_check_loader_patch(struct pk_plan *plan,
				      const char *symbol)
{
	const struct pk_patch_record *rec = pk_plan_patched(plan, symbol);

	if (rec && rec->from_set)
		return pk_error("--set %s: the loader fills this symbol itself "
				"from %s; use that instead", symbol,
				pk_plan_owner_option(symbol));
	return 0;
}

/*
 * The contract's symbols (purgkit/patch.h, purgkit/trampolines.h), for
 * messages that teach: which header declares a symbol, its type and
 * size, which built-in trampolines define it.
 */
struct pk_contract_symbol {
	const char *name, *type, *header, *users;
	uint64_t size;
};

#define PK_CONTRACT_RUNTIME_ROW(name, type, bound)			\
	{ #name, #type #bound, "purgkit/patch.h", NULL,			\
	  sizeof(pk_patch_type_##name) },
#define PK_CONTRACT_TRAMPOLINE_ROW(name, type, bound, users)		\
	{ #name, #type #bound, "purgkit/trampolines.h", users,		\
	  sizeof(pk_patch_type_##name) },

static const struct pk_contract_symbol pk_contract_symbols[] = {
	PK_RUNTIME_PATCH_SYMBOLS(PK_CONTRACT_RUNTIME_ROW)
	PK_TRAMPOLINE_PATCH_SYMBOLS(PK_CONTRACT_TRAMPOLINE_ROW)
};

static const struct pk_contract_symbol *pk_contract_symbol(const char *name)
{
	for (size_t i = 0; i < sizeof(pk_contract_symbols) /
			       sizeof(pk_contract_symbols[0]); i++)
		if (!strcmp(pk_contract_symbols[i].name, name))
			return &pk_contract_symbols[i];
	return NULL;
}

/*
 * Before the loader writes a symbol of the contract: the trampoline
 * (a user's, most likely) must define it, at the contract's size.  Each
 * refusal says which payload type needs it and how to define it.
 */
static int pk_plan_check_contract(struct pk_plan *plan, const char *symbol,
				  bool integer)
{
	const struct pk_contract_symbol *row = pk_contract_symbol(symbol);
	struct pk_reloc_symbol have;

	if (!row)
		return 0;
	if (pk_reloc_symbol(plan->trampoline, symbol, &have))
		return pk_error("trampoline %s has no '%s', which payload type "
				"%s writes: define it in the trampoline with "
				"PK_PATCH_DEFINE(%s) = %s; (#include <%s>%s%s)",
				plan->trampoline_name, symbol, plan->type->name,
				symbol, integer ? "0" : "{ 0 }", row->header,
				row->users ? "; as the built-in " : "",
				row->users ? row->users : "");
	if (have.size != row->size)
		return pk_error("trampoline %s defines '%s' as %llu bytes; the "
				"contract (%s) makes it %s, %llu bytes: define "
				"it with PK_PATCH_DEFINE(%s)",
				plan->trampoline_name, symbol, HEX(have.size),
				row->header, row->type, HEX(row->size), symbol);
	return 0;
}

int pk_plan_patch(struct pk_plan *plan, const char *symbol, const void *data,
		  uint64_t size)
{
	if (!plan->trampoline)
		return pk_error("internal: patch of %s before the trampoline "
				"was placed", symbol);
	if (pk_plan_check_loader_patch(plan, symbol) ||
	    pk_plan_check_contract(plan, symbol, false))
		return -1;
	if (pk_reloc_set(plan->trampoline, symbol, data, size))
		return pk_plan_trampoline_error(plan,
				pk_reloc_error(plan->trampoline));
	pk_plan_record_patch(plan, symbol, false, false);
	pk_debug("patched %s (%llu bytes)", symbol, HEX(size));
	return 0;
}

int pk_plan_patch_int(struct pk_plan *plan, const char *symbol,
		      uint64_t value)
{
	if (!plan->trampoline)
		return pk_error("internal: patch of %s before the trampoline "
				"was placed", symbol);
	if (pk_plan_check_loader_patch(plan, symbol) ||
	    pk_plan_check_contract(plan, symbol, true))
		return -1;
	if (pk_reloc_set_int(plan->trampoline, symbol, value))
		return pk_plan_trampoline_error(plan,
				pk_reloc_error(plan->trampoline));
	pk_plan_record_patch(plan, symbol, true, false);
	pk_debug("patched %s = 0x%llx", symbol, HEX(value));
	return 0;
}

/*
 * --set SYMBOL=VALUE, parsed by the relocator library exactly as
 * purgkit-link parses it: an integer, a "string" or @FILE.
 */
static int pk_plan_apply_sets(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;

	for (size_t i = 0; i < opts->set_count; i++) {
		const struct pk_set_option *set = &opts->sets[i];
		const struct pk_patch_record *rec =
			pk_plan_patched(plan, set->symbol);
		uint64_t integer;

		if (rec && rec->from_set)
			return pk_error("--set %s given twice: it takes one "
					"value", set->symbol);
		if (rec)
			return pk_error("--set %s: the loader fills this "
					"symbol itself from %s; use that "
					"instead", set->symbol,
					pk_plan_owner_option(set->symbol));
		if (pk_reloc_set_value(plan->trampoline, set->symbol,
				       set->value))
			return pk_plan_trampoline_error(plan,
				pk_reloc_error(plan->trampoline));
		pk_plan_record_patch(plan, set->symbol,
				     pk_reloc_value_is_integer(set->value,
							       &integer),
				     true);
		pk_debug("patched %s = %s", set->symbol, set->value);
	}
	return 0;
}

static int pk_plan_reserve_memlog(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	struct pk_segment *segment;
	uint64_t max;

	if (!plan->arch->memlog_ceiling)
		return pk_error("--console=memlog is not supported on %s: "
				"where its trampoline can write is not known",
				plan->arch->name);
	/* Where the trampoline can write (0: anywhere). */
	max = plan->arch->memlog_ceiling(plan);
	plan->memlog_size = PK_MEMLOG_DEFAULT_SIZE;
	if (opts->memlog_base) {
		/*
		 * The user's address: a segment of its own all the same, so
		 * the rules every segment obeys (page-aligned, usable RAM,
		 * no overlap, reachable) refuse a bad one here.
		 */
		uint64_t base = opts->memlog_base;

		if (base & (plan->page_size - 1))
			return pk_error("--console=memlog,0x%llx: the address "
					"is not a multiple of the page size "
					"0x%llx", HEX(base),
					HEX(plan->page_size));
		if (base > UINT64_MAX - plan->memlog_size ||
		    (max && base + plan->memlog_size > max))
			return pk_error("--console=memlog,0x%llx: the 0x%llx-"
					"byte log would end above the 0x%llx "
					"the trampoline can write", HEX(base),
					HEX(plan->memlog_size),
					HEX(max ? max : UINT64_MAX));
		segment = pk_plan_add_segment(plan, NULL, 0, base,
					      plan->memlog_size,
					      "memory log (--console=memlog,"
					      "0x%llx)", HEX(base));
		if (!segment)
			return -1;
	} else {
		/* Its own segment, so nothing else is put there. */
		segment = pk_plan_alloc_segment(plan, NULL, 0,
						plan->memlog_size, 0, 1 << 20,
						max, true, "memory log");
		if (!segment)
			return -1;
	}
	/* Never hashed: the trampoline writes it before it checks. */
	segment->verify = false;
	plan->memlog_base = segment->dest;
	return 0;
}

/* Was symbol patched by the payload type with a non-zero value? */
static bool pk_plan_patched_nonzero(const struct pk_plan *plan,
				    const char *symbol)
{
	for (size_t i = 0; i < plan->patch_count; i++) {
		const struct pk_patch_record *rec = &plan->patches[i];

		if (strcmp(rec->symbol, symbol))
			continue;
		for (uint64_t b = 0; b < rec->size; b++)
			if (rec->bytes[b])
				return true;
	}
	return false;
}

static int pk_plan_patch_runtime(struct pk_plan *plan)
{
	const struct pk_options *opts = plan->opts;
	uint32_t mask = opts->console_given ? opts->console_mask :
			plan->found_console ? plan->found_console :
					      plan->arch->default_console;
	bool found = !opts->console_given && plan->found_console;
	pk_patch_type_pk_verify_regions regions;
	size_t count = 0;

	/* The OPAL console needs OPAL's base and entry, which only a payload
	 * type that reads the device tree (ppc64 linux) can give. */
	if ((mask & PK_CONSOLE_OPAL) &&
	    !pk_plan_patched_nonzero(plan, PK_SYMBOL(pk_opal_base)))
		return pk_error("--console=opal: this plan has no OPAL base "
				"and entry (the %s type does not look for "
				"OPAL; the ppc64 linux type reads them from "
				"the device tree's /ibm,opal)",
				plan->type->name);

	if (PK_PLAN_PATCH_INT(plan, pk_console_mask, mask) ||
	    PK_PLAN_PATCH_INT(plan, pk_serial_port, opts->serial_port ?
			      opts->serial_port : PK_SERIAL_DEFAULT_PORT) ||
	    PK_PLAN_PATCH_INT(plan, pk_serial_baud, opts->serial_baud ?
			      opts->serial_baud : PK_SERIAL_DEFAULT_BAUD) ||
	    PK_PLAN_PATCH_INT(plan, pk_memlog_base, plan->memlog_base) ||
	    PK_PLAN_PATCH_INT(plan, pk_memlog_size,
			      plan->memlog_base ? plan->memlog_size : 0) ||
	    (opts->uart_base &&
	     PK_PLAN_PATCH_INT(plan, pk_uart_base, opts->uart_base)))
		return -1;

	memset(regions, 0, sizeof(regions));
	for (size_t i = 0; i < plan->segment_count; i++) {
		const struct pk_segment *s = &plan->segments[i];

		/* The loaded bytes only: see pk_segment_digest_update. */
		if (!s->verify || !s->bufsz)
			continue;
		pk_put64(plan->arch, &regions[count].start, s->dest);
		pk_put64(plan->arch, &regions[count].size, s->bufsz);
		count++;
	}
	/* A trampoline built with an older SDK has no MMIO UART. */
	if (pk_plan_has_symbol(plan, PK_SYMBOL(pk_uart_base)) &&
	    (PK_PLAN_PATCH_INT(plan, pk_uart_base, found ?
			       plan->found_uart_base : opts->uart_base) ||
	     PK_PLAN_PATCH_INT(plan, pk_uart_reg_shift, found ?
			       plan->found_uart_reg_shift :
			       opts->uart_reg_shift)))
		return -1;
	if (pk_plan_digest(plan))
		return -1;
	/* Each region's own digest, so a mismatch names the one that
	 * changed (a trampoline built with an older SDK has no room). */
	if (pk_plan_has_symbol(plan, PK_SYMBOL(pk_verify_region_digests))) {
		pk_patch_type_pk_verify_region_digests digests;

		uint8_t digest[32];

		memset(digests, 0, sizeof(digests));
		count = 0;
		for (size_t i = 0; i < plan->segment_count; i++) {
			if (!plan->segments[i].verify ||
			    !plan->segments[i].bufsz)
				continue;
			if (pk_segment_sha256(&plan->segments[i], digest))
				return -1;
			memcpy(digests[count++], digest, sizeof(digests[0]));
		}
		if (PK_PLAN_PATCH(plan, pk_verify_region_digests, &digests))
			return -1;
	}
	if (PK_PLAN_PATCH_INT(plan, pk_verify_enabled,
			      opts->no_checks ? 0 : 1) ||
	    PK_PLAN_PATCH(plan, pk_verify_regions, &regions) ||
	    PK_PLAN_PATCH(plan, pk_verify_digest, &plan->digest))
		return -1;
	return 0;
}

static int pk_segment_compare(const void *a, const void *b)
{
	const struct pk_segment *x = a, *y = b;

	return x->dest < y->dest ? -1 : x->dest > y->dest;
}

static void pk_memory_map_put(struct pk_plan *plan, uint8_t *table,
			      uint32_t *count, uint64_t start, uint64_t end,
			      uint32_t type)
{
	struct pk_memory_range *r = (struct pk_memory_range *)
		(table + sizeof(struct pk_memory_map_header)) + *count;

	pk_put64(plan->arch, &r->base, start);
	pk_put64(plan->arch, &r->size, end - start);
	pk_put32(plan->arch, &r->type, type);
	(*count)++;
}

static int pk_memory_range_compare(const void *a, const void *b)
{
	const struct pk_mem_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * The memory map the trampoline reads (pk_memory_map_table): the loader's
 * map with every segment (sorted by now) carved out as PK_MEMORY_LOADED,
 * in the target's byte order, into the trampoline segment's buffer.
 */
static int pk_plan_write_memory_map(struct pk_plan *plan,
				    struct pk_segment *tramp)
{
	size_t capacity = plan->memmap.count + 2 * PK_KEXEC_MAX_SEGMENTS;
	struct pk_mem_range *pieces = pk_xzalloc(capacity * sizeof(*pieces));
	uint8_t *table = tramp->buf + plan->memory_map_offset;
	struct pk_memory_map_header *header = (void *)table;
	size_t n = 0;
	uint32_t count = 0;

	for (size_t i = 0; i < plan->memmap.count; i++) {
		const struct pk_mem_range *r = &plan->memmap.ranges[i];
		uint64_t at = r->start;

		for (size_t j = 0; j < plan->segment_count; j++) {
			const struct pk_segment *s = &plan->segments[j];
			uint64_t end = s->dest + s->memsz;

			if (end <= at || s->dest >= r->end)
				continue;
			if (s->dest > at)
				pieces[n++] = (struct pk_mem_range){ at, s->dest,
								     r->type };
			at = end;
			if (at >= r->end)
				break;
		}
		if (at < r->end)
			pieces[n++] = (struct pk_mem_range){ at, r->end,
							     r->type };
	}
	for (size_t j = 0; j < plan->segment_count; j++)
		pieces[n++] = (struct pk_mem_range){
			plan->segments[j].dest,
			plan->segments[j].dest + plan->segments[j].memsz,
			PK_MEMORY_LOADED };
	/* Each segment adds at most one piece to a range and one of its
	 * own; more would be a fault of the code above, not of the input. */
	if (n > capacity) {
		free(pieces);
		return pk_error("internal: the memory map has %zu ranges, room "
				"for %zu", n, capacity);
	}
	qsort(pieces, n, sizeof(*pieces), pk_memory_range_compare);
	for (size_t i = 0; i < n; i++)
		pk_memory_map_put(plan, table, &count, pieces[i].start,
				  pieces[i].end, pieces[i].type);
	free(pieces);
	pk_put64(plan->arch, &header->magic, PK_MEMORY_MAP_MAGIC);
	pk_put32(plan->arch, &header->count, count);
	pk_put32(plan->arch, &header->entry_size,
		 sizeof(struct pk_memory_range));
	return 0;
}

/* Everything after the payload type's build(): see plan.h. */
static int pk_plan_finish(struct pk_plan *plan)
{
	struct pk_segment *tramp = NULL;
	const struct pk_options *opts = plan->opts;

	if (!plan->trampoline)
		return pk_error("internal: payload type %s placed no "
				"trampoline", plan->type->name);
	if ((opts->console_given ? opts->console_mask :
	     plan->arch->default_console) & PK_CONSOLE_MEMLOG) {
		if (pk_plan_reserve_memlog(plan))
			return -1;
	}
	/* Sorted by destination: the order the plan is shown and hashed. */
	qsort(plan->segments, plan->segment_count, sizeof(plan->segments[0]),
	      pk_segment_compare);
	for (size_t i = 0; i < plan->segment_count; i++)
		if (plan->segments[i].trampoline)
			tramp = &plan->segments[i];
	plan->trampoline_segment = tramp;
	if (plan->memory_map_size &&
	    PK_PLAN_PATCH_INT(plan, pk_memory_map_table,
			      tramp->dest + plan->memory_map_offset))
		return -1;
	if (pk_plan_patch_runtime(plan) || pk_plan_apply_sets(plan))
		return -1;
	tramp->bufsz = pk_reloc_file_size(plan->trampoline);
	if (plan->symtab)
		tramp->bufsz = plan->symtab_offset + plan->symtab_size;
	if (plan->memory_map_size)
		tramp->bufsz = plan->memory_map_offset + plan->memory_map_size;
	tramp->buf = pk_xzalloc(tramp->bufsz);
	memcpy(tramp->buf, pk_reloc_image(plan->trampoline),
	       pk_reloc_file_size(plan->trampoline));
	if (plan->symtab)
		memcpy(tramp->buf + plan->symtab_offset, plan->symtab,
		       plan->symtab_size);
	if (plan->memory_map_size && pk_plan_write_memory_map(plan, tramp))
		return -1;
	if (plan->type->finish && plan->type->finish(plan))
		return -1;
	if (opts->corrupt_segment >= 0) {
		struct pk_segment *s;

		if ((size_t)opts->corrupt_segment >= plan->segment_count)
			return pk_error("--test-corrupt-segment=%d: the plan "
					"has %zu segments",
					opts->corrupt_segment,
					plan->segment_count);
		s = &plan->segments[opts->corrupt_segment];
		if (!s->verify || !s->bufsz)
			return pk_error("--test-corrupt-segment=%d: segment "
					"%d (%s) is not checked or has no "
					"bytes", opts->corrupt_segment,
					opts->corrupt_segment, s->what);
		/* After the digest was taken: the trampoline must notice. */
		s->buf[s->bufsz / 2] ^= 0x01;
		fprintf(stderr, "purgkit-load: test hook: flipped a bit of "
			"segment %d (%s) at 0x%llx\n", opts->corrupt_segment,
			s->what, HEX(s->dest + s->bufsz / 2));
	}
	return pk_plan_check_segments(plan);
}

int pk_plan_build(struct pk_plan *plan, const struct pk_options *opts)
{
	memset(plan, 0, sizeof(*plan));
	plan->opts = opts;
	if (pk_plan_choose_arch(plan) || pk_plan_read_memmap(plan))
		return -1;
	if (plan->memmap.arch_name && strcmp(plan->memmap.arch_name,
					     plan->arch->name))
		return pk_error("memory map %s is for %s, not %s",
				plan->memmap.source, plan->memmap.arch_name,
				plan->arch->name);
	if (pk_file_read(opts->payload, "payload", &plan->payload) ||
	    pk_plan_unwrap_payload(plan) || pk_plan_choose_type(plan))
		return -1;
	/* kexec-tools' --real-mode names a bzImage's 16-bit entry only, the
	 * one type that reads it (said before the generic "--mode is not
	 * used" below); a type that reads --mode has a 16-bit entry too. */
	if (opts->real_mode && !pk_word_in(plan->type->options, "real-mode"))
		return pk_error("--real-mode enters an x86_64 bzImage's setup "
				"code, not this %s %s payload%s",
				plan->arch->name, plan->type->name,
				pk_word_in(plan->type->options, "mode") ?
				" (--mode=16 is raw16)" : "");
	if (pk_plan_check_type_options(opts, plan->type, plan->arch))
		return -1;
	pk_plan_apply_uki(plan);
	if (opts->load_panic && pk_crash_prepare(plan))
		return -1;
	pk_debug("building a %s%s plan for %s with trampoline from %s",
		 opts->load_panic ? "crash (-p) " : "",
		 plan->type->name, plan->arch->name,
		 opts->purgatory ? opts->purgatory : "the built-in set");
	if (plan->type->build(plan))
		return -1;
	return pk_plan_finish(plan);
}

void pk_plan_free(struct pk_plan *plan)
{
	for (size_t i = 0; i < plan->segment_count; i++)
		free(plan->segments[i].buf);
	for (size_t i = 0; i < plan->patch_count; i++)
		pk_patch_record_free(&plan->patches[i]);
	free(plan->patches);
	free(plan->type_state);
	free(plan->symtab);
	if (plan->trampoline)
		pk_reloc_close(plan->trampoline);
	pk_file_free(&plan->payload);
	pk_memmap_free(&plan->memmap);
	pk_crash_free(plan->crash);
	free(plan->unwraps);
	if (plan->uki) {
		free(plan->uki->linux_name);
		free(plan->uki->initrd_name);
		free(plan->uki->initrd);
		free(plan->uki->cmdline);
		free(plan->uki->dtb_name);
		free(plan->uki->dtb);
		free(plan->uki);
	}
	memset(plan, 0, sizeof(*plan));
}

char *pk_options_command_line(const struct pk_options *opts)
{
	char buf[4096] = "";
	const char *append = opts->command_line ? opts->command_line : "";
	char *out;
	size_t len = 0;

	if (opts->reuse_cmdline) {
		FILE *f = fopen("/proc/cmdline", "re");
		char *word, *rest;

		if (f) {
			if (!fgets(buf, sizeof(buf), f))
				buf[0] = '\0';
			fclose(f);
		}
		buf[strcspn(buf, "\n")] = '\0';
		out = pk_xzalloc(strlen(buf) + strlen(append) + 2);
		/* BOOT_IMAGE= names the old kernel's file; drop it. */
		for (word = strtok_r(buf, " ", &rest); word;
		     word = strtok_r(NULL, " ", &rest)) {
			if (!strncmp(word, "BOOT_IMAGE=", 11))
				continue;
			/* A capture kernel reserves nothing for another. */
			if (opts->load_panic &&
			    !strncmp(word, "crashkernel=", 12))
				continue;
			len += sprintf(out + len, "%s%s", len ? " " : "", word);
		}
		if (*append)
			sprintf(out + len, "%s%s", len ? " " : "", append);
		return out;
	}
	return pk_xstrdup(append);
}

const struct pk_memmap *pk_plan_boot_memmap(const struct pk_plan *plan)
{
	return plan->crash ? &plan->crash->capture : &plan->memmap;
}

const struct pk_memmap *pk_plan_system_memmap(const struct pk_plan *plan)
{
	return plan->crash ? &plan->crash->system : &plan->memmap;
}

unsigned long pk_plan_kexec_flags(const struct pk_plan *plan)
{
	return plan->arch->kexec_flags | (plan->crash ? PK_KEXEC_ON_CRASH : 0);
}
