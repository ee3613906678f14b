/* SPDX-License-Identifier: MIT */
/*
 * The purgatory runtime: what runs between reboot(LINUX_REBOOT_CMD_KEXEC)
 * and your hand-off.
 *
 *   kexec entry (pk_entry, per-arch assembly)
 *     -> own stack; own GDT and IDT (x86_64) or own TOC (ppc64)
 *     -> pk_runtime_main(): console on (pk_console_init_from_patch),
 *        SHA-256 of every region in pk_verify_regions compared with
 *        pk_verify_digest (unless pk_verify_enabled is 0)
 *     -> on a mismatch: print the region list and both digests, then
 *        pk_halt() forever.  A payload that failed its check never runs.
 *     -> pk_trampoline_main(): yours; its hand-off (purgkit/handoff.h)
 *        first calls pk_runtime_report_handoff(), which prints how long
 *        the trampoline took and how fast it hashed.
 *
 * A trampoline is therefore one C function, pk_trampoline_main, that ends
 * in a hand-off from purgkit/arch/<arch>/handoff.h.  If it returns, the
 * runtime prints so and halts.
 */
#ifndef PURGKIT_RUNTIME_H
#define PURGKIT_RUNTIME_H

#include <stdint.h>
#include <purgkit/patch.h>

/* Provided by the trampoline. */
void pk_trampoline_main(void);

/* The runtime's C entry, called by the arch entry stub with a stack. */
void pk_runtime_main(void) __attribute__((noreturn));

/*
 * Check the patched regions against the patched digest, printing the
 * outcome.  Returns 0 when they match or when checks are disabled.
 */
int pk_verify_image(void);
/* What the last pk_verify_image() hashed, and the ticks it took. */
extern uint64_t pk_verify_bytes, pk_verify_ticks;

/*
 * Print, once, the time from pk_runtime_main() to now and what the check
 * cost: "purgkit: time: entry to hand-off 41.203 ms; sha256 8388608 bytes
 * in 39.871 ms, 210 MB/s" (ticks instead of ms where the rate of the
 * clock is unknown; see purgkit/time.h).  The SDK's hand-off functions
 * call it; call it yourself before any other way out of the trampoline.
 */
void pk_runtime_report_handoff(void);

/* Stop this CPU for good (interrupts off, halted in a loop). */
void pk_halt(void) __attribute__((noreturn));

/*
 * Print a message, where it was called from and "purgkit: halted", then
 * halt: for conditions the trampoline cannot survive.
 */
void pk_panic(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/*
 * Every way the runtime stops the machine ends with a line of this text
 * ("purgkit: halted", or "purgkit: ...; halted"), the last it prints, so
 * that a harness (purgkit-run) can end the run there.
 */
#define PK_HALTED_LINE "purgkit: halted"

/*
 * The function holding a code address, from the table the loader wrote
 * after the image (pk_symbol_table): its name, and *offset into it; NULL
 * outside the image, between functions, or with no table.
 */
const char *pk_symbol_name(uint64_t address, uint64_t *offset);
/*
 * The machine's memory as the loader saw it (struct pk_memory_range in
 * purgkit/patch.h: sorted, not overlapping, this kexec's segments typed
 * PK_MEMORY_LOADED): the number of ranges, with *ranges pointing at the
 * first and *entry_size the step between them; 0 when the loader wrote
 * none (a loader older than the table, or a plan without a trampoline
 * that has pk_memory_map_table).
 *
 *     const struct pk_memory_range *r;
 *     uint32_t step, n = pk_memory_map(&r, &step);
 *
 *     for (uint32_t i = 0; i < n; i++, r = pk_memory_next(r, step))
 *             pk_printf("%llx +%llx %s\n", r->base, r->size,
 *                       pk_memory_type_name(r->type));
 */
uint32_t pk_memory_map(const struct pk_memory_range **ranges,
		       uint32_t *entry_size);
static inline const struct pk_memory_range *
pk_memory_next(const struct pk_memory_range *range, uint32_t entry_size)
{
	return (const struct pk_memory_range *)((const char *)range +
						 entry_size);
}
/* "ram", "reserved", "acpi", "nvs", "unusable", "pmem", "loaded", "?". */
const char *pk_memory_type_name(uint32_t type);

/* The name the loader gave this trampoline ("multiboot", the file's). */
const char *pk_trampoline_name(void);
/*
 * Print a code address for people, without a newline:
 * "000000003ffd6046 = image 3ffd4000 + 0x2046, in my_function+0x16".
 */
void pk_print_code_address(uint64_t address);

/*
 * The bounds of the trampoline image, from the linker script, for
 * trampolines that need to know what memory they own.
 */
extern char pk_image_start[], pk_image_end[];

#endif /* PURGKIT_RUNTIME_H */
