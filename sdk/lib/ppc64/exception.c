/* SPDX-License-Identifier: MIT */
/*
 * The runtime's interrupt vectors on ppc64 (exception_entry.S): a fault
 * in the trampoline prints the vector, where it happened (image base +
 * offset, in function+offset) and every register, then halts.
 *
 * Only a little-endian ELFv2 build installs them: a vector runs in the
 * old kernel's endianness (LPCR[ILE], which a guest cannot read), and
 * the kernels purgkit runs on ppc64 are little-endian.  The bytes each
 * vector replaces are kept, so that a copy of low memory (the crash
 * path's backup, pk_ppc64_read_low_memory) still reads the old kernel's.
 */
#include <purgkit/console.h>
#include <purgkit/cpu.h>
#include <purgkit/runtime.h>
#include <purgkit/string.h>

#if defined(_CALL_ELF) && _CALL_ELF == 2 && defined(__LITTLE_ENDIAN__)
#define PK_PPC64_HAS_VECTORS 1
#else
#define PK_PPC64_HAS_VECTORS 0
#endif

struct pk_ppc64_exception_frame {
	uint64_t gpr[32];
	uint64_t srr0, srr1, lr, cr, xer, dar, dsisr, vector;
};

/* exception_entry.S stores at these offsets. */
_Static_assert(__builtin_offsetof(struct pk_ppc64_exception_frame, srr0) ==
	       256, "frame layout");
_Static_assert(__builtin_offsetof(struct pk_ppc64_exception_frame, vector)
	       == 312, "frame layout");
_Static_assert(sizeof(struct pk_ppc64_exception_frame) == 320,
	       "frame layout");

static const struct {
	uint16_t vector;
	const char *name;
} pk_ppc64_vectors[] = {
	{ 0x200, "machine check" },	{ 0x300, "data storage" },
	{ 0x380, "data segment" },	{ 0x400, "instruction storage" },
	{ 0x480, "instruction segment" }, { 0x500, "external" },
	{ 0x600, "alignment" },		{ 0x700, "program" },
	{ 0x800, "floating-point unavailable" }, { 0x900, "decrementer" },
	{ 0xc00, "system call" },	{ 0xd00, "trace" },
	{ 0xf00, "performance monitor" }, { 0xf20, "vector unavailable" },
	{ 0xf40, "VSX unavailable" },	{ 0xf60, "facility unavailable" },
};
#define PK_PPC64_VECTOR_COUNT \
	(sizeof(pk_ppc64_vectors) / sizeof(pk_ppc64_vectors[0]))
#define PK_PPC64_VECTOR_BYTES 32

/* What each vector's bytes were before we installed ours. */
static uint8_t pk_ppc64_saved[PK_PPC64_VECTOR_COUNT][PK_PPC64_VECTOR_BYTES];
static int pk_ppc64_vectors_installed;

/* A real address as a pointer, hidden from the compiler (for which a
 * pointer made from a small constant is suspect). */
static uint8_t *pk_real(uintptr_t address)
{
	__asm__("" : "+r"(address));
	return (uint8_t *)address;
}

#if PK_PPC64_HAS_VECTORS
extern const uint8_t pk_ppc64_vector_template[],
	pk_ppc64_vector_template_end[];
extern const char pk_ppc64_exception_common[];

void pk_ppc64_install_exception_handlers(void)
{
	size_t i;

	_Static_assert(PK_PPC64_VECTOR_BYTES == 32, "template size");
	if (pk_ppc64_vector_template_end - pk_ppc64_vector_template !=
	    PK_PPC64_VECTOR_BYTES)
		return;
	for (i = 0; i < PK_PPC64_VECTOR_COUNT; i++) {
		uint16_t v = pk_ppc64_vectors[i].vector;
		uint8_t *at = pk_real(v);
		uint32_t word[PK_PPC64_VECTOR_BYTES / 4];
		uint64_t common = (uint64_t)(uintptr_t)pk_ppc64_exception_common;

		memcpy(pk_ppc64_saved[i], at, PK_PPC64_VECTOR_BYTES);
		memcpy(word, pk_ppc64_vector_template, sizeof(word));
		word[2] = (word[2] & 0xffff0000u) | v;		/* li 11, v */
		word[3] = (word[3] & 0xffff0000u) | (v + 24);	/* ld 12, v+24(0) */
		memcpy(&word[6], &common, sizeof(common));
		memcpy(at, word, sizeof(word));
		pk_ppc64_flush_icache(at, PK_PPC64_VECTOR_BYTES);
	}
	pk_ppc64_vectors_installed = 1;
}
#else
void pk_ppc64_install_exception_handlers(void)
{
}
#endif

void pk_ppc64_read_low_memory(void *dest, size_t len)
{
	size_t i;

	memcpy(dest, pk_real(0), len);
	for (i = 0; pk_ppc64_vectors_installed && i < PK_PPC64_VECTOR_COUNT;
	     i++) {
		size_t v = pk_ppc64_vectors[i].vector;

		if (v < len)
			memcpy((uint8_t *)dest + v, pk_ppc64_saved[i],
			       len - v < PK_PPC64_VECTOR_BYTES ?
			       len - v : PK_PPC64_VECTOR_BYTES);
	}
}

void pk_ppc64_exception(const struct pk_ppc64_exception_frame *f)
	__attribute__((noreturn));

void pk_ppc64_exception(const struct pk_ppc64_exception_frame *f)
{
	const char *name = "unknown";
	size_t i;

	for (i = 0; i < PK_PPC64_VECTOR_COUNT; i++)
		if (pk_ppc64_vectors[i].vector == f->vector)
			name = pk_ppc64_vectors[i].name;
	pk_printf("\npurgkit: CPU exception 0x%llx (%s), srr1 0x%llx\n",
		  (unsigned long long)f->vector, name,
		  (unsigned long long)f->srr1);
	pk_printf("purgkit: fault at ");
	pk_print_code_address(f->srr0);
	pk_printf("\n");
	pk_printf("  srr0 %016llx  lr  %016llx  cr  %08llx\n",
		  (unsigned long long)f->srr0, (unsigned long long)f->lr,
		  (unsigned long long)f->cr);
	pk_printf("  dar  %016llx  dsisr %08llx  xer %016llx  (ctr lost)\n",
		  (unsigned long long)f->dar, (unsigned long long)f->dsisr,
		  (unsigned long long)f->xer);
	for (i = 0; i < 32; i += 4)
		pk_printf("  r%-2u %016llx  r%-2u %016llx  r%-2u %016llx  "
			  "r%-2u %016llx\n",
			  (unsigned)i, (unsigned long long)f->gpr[i],
			  (unsigned)i + 1, (unsigned long long)f->gpr[i + 1],
			  (unsigned)i + 2, (unsigned long long)f->gpr[i + 2],
			  (unsigned)i + 3, (unsigned long long)f->gpr[i + 3]);
	pk_printf(PK_HALTED_LINE "\n");
	pk_halt();
}
