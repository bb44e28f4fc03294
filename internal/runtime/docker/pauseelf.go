package docker

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
)

// The sandbox container needs a process that does nothing, forever, in
// next to no memory. No pause image can be pulled (there may be no
// registry) and no compiler may be present at run time, so the runtime
// writes that program itself: a static ELF executable of one header, one
// program header and a few instructions, about 140 bytes.
//
// Layout of the file (all little-endian):
//
//	offset 0    ELF64 file header      (64 bytes, elf.Header64)
//	offset 64   one PT_LOAD header      (56 bytes, elf.Prog64)
//	offset 120  machine code            (architecture specific, below)
//
// The single PT_LOAD maps the whole file read+execute at pauseBase, so the
// entry point is pauseBase+120. There are no sections, no dynamic linker,
// no libc and no data: the code only makes one system call in a loop.

// pauseBase is the load address; 0x400000 is the classic static-binary
// base, above vm.mmap_min_addr and aligned to 64 KiB pages (arm64 kernels
// may use them), as p_vaddr ≡ p_offset (mod p_align) requires.
const (
	pauseBase  = 0x400000
	pauseAlign = 0x10000
	headerSize = 64 + 56
)

// pauseCodeAMD64 is, in x86-64 assembly:
//
//	loop: mov  eax, 34      ; b8 22 00 00 00   34 = SYS_pause
//	      syscall           ; 0f 05            sleep until a signal arrives
//	      jmp  loop         ; eb f7            rel8 -9 = back over these 9 bytes
//
// pause(2) returns only after a signal handler ran. This process installs
// none, and the kernel discards handler-less signals sent to the init of a
// PID namespace (SIGKILL from outside excepted), so it sleeps until it is
// killed. The loop only guards against spurious returns.
var pauseCodeAMD64 = []byte{
	0xb8, 0x22, 0x00, 0x00, 0x00,
	0x0f, 0x05,
	0xeb, 0xf7,
}

// pauseCodeARM64 is, in AArch64 assembly (one 32-bit word each):
//
//	loop: mov x0, #0        ; d2800000  fds = NULL
//	      mov x1, #0        ; d2800001  nfds = 0
//	      mov x2, #0        ; d2800002  timeout = NULL (wait forever)
//	      mov x3, #0        ; d2800003  sigmask = NULL
//	      mov x8, #73       ; d2800928  73 = SYS_ppoll
//	      svc #0            ; d4000001
//	      b   loop          ; 17fffffa  imm26 = -6 instructions
//
// arm64 has no pause(2); ppoll on no descriptors without a timeout is the
// usual stand-in (it is how libc implements pause there).
var pauseCodeARM64 = le32(
	0xd2800000,
	0xd2800001,
	0xd2800002,
	0xd2800003,
	0xd2800928,
	0xd4000001,
	0x17fffffa,
)

// pauseExecutable returns the executable for an engine architecture as
// Docker names it (GOARCH spelling: "amd64", "arm64").
func pauseExecutable(arch string) ([]byte, error) {
	switch arch {
	case "amd64", "x86_64":
		return buildPauseELF(elf.EM_X86_64, pauseCodeAMD64), nil
	case "arm64", "aarch64":
		return buildPauseELF(elf.EM_AARCH64, pauseCodeARM64), nil
	}
	return nil, fmt.Errorf("no sandbox executable for engine architecture %q (supported: amd64, arm64)", arch)
}

func buildPauseELF(machine elf.Machine, code []byte) []byte {
	size := uint64(headerSize + len(code))
	hdr := elf.Header64{
		Type:      uint16(elf.ET_EXEC), // fixed address, not PIE
		Machine:   uint16(machine),
		Version:   uint32(elf.EV_CURRENT),
		Entry:     pauseBase + headerSize, // code follows the headers
		Phoff:     64,                     // program header follows the file header
		Ehsize:    64,
		Phentsize: 56,
		Phnum:     1,
	}
	copy(hdr.Ident[:], elf.ELFMAG)
	hdr.Ident[elf.EI_CLASS] = byte(elf.ELFCLASS64)
	hdr.Ident[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	hdr.Ident[elf.EI_VERSION] = byte(elf.EV_CURRENT)
	hdr.Ident[elf.EI_OSABI] = byte(elf.ELFOSABI_NONE)
	prog := elf.Prog64{
		Type:   uint32(elf.PT_LOAD),
		Flags:  uint32(elf.PF_R | elf.PF_X), // code only; nothing is written
		Off:    0,                           // map from the start of the file...
		Vaddr:  pauseBase,                   // ...at the base address
		Paddr:  pauseBase,
		Filesz: size,
		Memsz:  size,
		Align:  pauseAlign,
	}
	var b bytes.Buffer
	// Writes to a bytes.Buffer of fixed-size structs cannot fail.
	_ = binary.Write(&b, binary.LittleEndian, hdr)
	_ = binary.Write(&b, binary.LittleEndian, prog)
	b.Write(code)
	return b.Bytes()
}

func le32(words ...uint32) []byte {
	out := make([]byte, 0, 4*len(words))
	for _, w := range words {
		out = binary.LittleEndian.AppendUint32(out, w)
	}
	return out
}
