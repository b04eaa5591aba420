// SPDX-License-Identifier: GPL-2.0-only
/*
 * Symbolization on the target from /proc/PID/maps and the mapped ELF
 * files: see symbolize.h. Every offset read from a file is checked
 * against its size: a file may be truncated, replaced or hostile.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pprof.h"
#include "symbolize.h"

/* [off, off + len) lies within a file of @size bytes */
static bool in_file(size_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

static void hex(char *out, const uint8_t *d, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

/* The GNU build-id in the notes at [off, off + len); true when found. */
static bool notes_build_id(struct sym_file *f, uint64_t off, uint64_t len,
			   uint64_t align)
{
	const uint8_t *img = f->img;
	uint64_t pos = off, end = off + len;

	if (!in_file(f->size, off, len))
		return false;
	align = align == 8 ? 8 : 4;
	while (end - pos >= sizeof(Elf64_Nhdr)) {
		const Elf64_Nhdr *nh = (const void *)(img + pos);
		uint64_t name = pos + sizeof(*nh);
		uint64_t desc = name + ((nh->n_namesz + align - 1) & ~(align - 1));
		uint64_t next = desc + ((nh->n_descsz + align - 1) & ~(align - 1));

		if (next > end || desc > end)
			return false;
		if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
		    !memcmp(img + name, "GNU", 4) && nh->n_descsz > 0 &&
		    nh->n_descsz <= 20 && desc + nh->n_descsz <= end) {
			hex(f->build_id, img + desc, nh->n_descsz);
			return true;
		}
		pos = next;
	}
	return false;
}

static int fn_cmp(const void *a, const void *b)
{
	const struct sym_func *x = a, *y = b;
	bool xs, ys;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* sized before unsized, then by name: a stable pick */
	xs = x->end > x->start;
	ys = y->end > y->start;
	if (xs != ys)
		return xs ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* One more entry in f->fn, whose allocated length is *@cap; NULL: ENOMEM */
static struct sym_func *new_fn(struct sym_file *f, size_t *cap)
{
	size_t ncap;
	void *nf;

	if (f->nfn == *cap) {
		ncap = *cap ? *cap * 2 : 256;
		nf = realloc(f->fn, ncap * sizeof(*f->fn));
		if (!nf)
			return NULL;
		f->fn = nf;
		*cap = ncap;
	}
	return &f->fn[f->nfn++];
}

/* The function symbols of one SHT_SYMTAB or SHT_DYNSYM section. */
static int read_symtab(struct sym_file *f, const Elf64_Shdr *sh,
		       const Elf64_Shdr *shdr, unsigned int shnum, size_t *cap)
{
	const uint8_t *img = f->img;
	const Elf64_Shdr *strs;
	uint64_t i, n;

	if (sh->sh_entsize != sizeof(Elf64_Sym) || sh->sh_link >= shnum ||
	    !in_file(f->size, sh->sh_offset, sh->sh_size))
		return 0;
	strs = &shdr[sh->sh_link];
	if (strs->sh_type != SHT_STRTAB ||
	    !in_file(f->size, strs->sh_offset, strs->sh_size) ||
	    !strs->sh_size || img[strs->sh_offset + strs->sh_size - 1])
		return 0;
	n = sh->sh_size / sizeof(Elf64_Sym);
	for (i = 1; i < n; i++) {
		const Elf64_Sym *s = (const void *)(img + sh->sh_offset +
						   i * sizeof(Elf64_Sym));
		unsigned int type = ELF64_ST_TYPE(s->st_info);
		struct sym_func *fn;

		if ((type != STT_FUNC && type != STT_GNU_IFUNC) ||
		    s->st_shndx == SHN_UNDEF || !s->st_value ||
		    s->st_name >= strs->sh_size ||
		    !img[strs->sh_offset + s->st_name])
			continue;
		fn = new_fn(f, cap);
		if (!fn)
			return -ENOMEM;
		fn->start = s->st_value;
		fn->end = s->st_value + s->st_size;
		fn->name = (const char *)img + strs->sh_offset + s->st_name;
	}
	return 0;
}

/* The section header named @name, or NULL. */
static const Elf64_Shdr *section(const struct sym_file *f,
				 const Elf64_Shdr *sh, unsigned int shnum,
				 unsigned int shstrndx, const char *name)
{
	const uint8_t *img = f->img;
	const Elf64_Shdr *strs;
	size_t len = strlen(name) + 1;
	unsigned int i;

	if (shstrndx >= shnum)
		return NULL;
	strs = &sh[shstrndx];
	if (!in_file(f->size, strs->sh_offset, strs->sh_size))
		return NULL;
	for (i = 0; i < shnum; i++)
		if (sh[i].sh_name < strs->sh_size &&
		    strs->sh_size - sh[i].sh_name >= len &&
		    !memcmp(img + strs->sh_offset + sh[i].sh_name, name, len))
			return &sh[i];
	return NULL;
}

static uint64_t get_le(const uint8_t *p, unsigned int size)
{
	uint64_t v = 0;

	while (size--)
		v = v << 8 | p[size];
	return v;
}

/*
 * Function names from Go's pclntab (.gopclntab), which `-s -w` keeps:
 * the layouts of Go 1.16 (magic 0xfffffffa), 1.18 (0xfffffff0) and 1.20
 * (0xfffffff1). @text is .text's address, for a header whose textStart
 * was left to a dynamic relocation. Older layouts are left unnamed.
 */
static int read_pclntab(struct sym_file *f, const Elf64_Shdr *sec,
			uint64_t text, size_t *cap)
{
	const uint8_t *t = (const uint8_t *)f->img + sec->sh_offset;
	uint64_t size = sec->sh_size, nfunc, names, ftab, start, i;
	unsigned int ps, fs, hdr;
	uint32_t magic;
	bool go118;

	if (!in_file(f->size, sec->sh_offset, size) || size < 8)
		return 0;
	magic = get_le(t, 4);
	go118 = magic == 0xfffffff0 || magic == 0xfffffff1;
	if ((!go118 && magic != 0xfffffffa) || t[4] || t[5])
		return 0;
	ps = t[7];
	if (ps != 8)
		return 0;
	hdr = 8 + (go118 ? 8 : 7) * ps;
	if (size < hdr)
		return 0;
	nfunc = get_le(t + 8, ps);
	start = go118 ? get_le(t + 8 + 2 * ps, ps) : 0;
	if (go118 && !start)
		start = text;
	names = get_le(t + 8 + (go118 ? 3 : 2) * ps, ps);
	ftab = get_le(t + 8 + (go118 ? 7 : 6) * ps, ps);
	/* functab: nfunc + 1 (entry, funcoff) pairs of uint32 or uintptr */
	fs = go118 ? 4 : ps;
	if (names >= size || ftab >= size ||
	    nfunc >= (size - ftab) / (2 * fs) - 1)
		return 0;
	for (i = 0; i < nfunc; i++) {
		const uint8_t *e = t + ftab + i * 2 * fs;
		uint64_t entry = get_le(e, fs), end = get_le(e + 2 * fs, fs);
		uint64_t fo = ftab + get_le(e + fs, fs), nameoff;
		struct sym_func *fn;

		/* _func: entry (uint32 offset or uintptr), then nameOff int32 */
		if (fo >= size || size - fo < fs + 4)
			continue;
		nameoff = get_le(t + fo + fs, 4);
		if (nameoff >= size - names ||
		    !memchr(t + names + nameoff, 0, size - names - nameoff))
			continue;
		fn = new_fn(f, cap);
		if (!fn)
			return -ENOMEM;
		fn->start = start + entry;
		fn->end = start + end;
		fn->name = (const char *)t + names + nameoff;
	}
	return 0;
}

static int parse_elf(struct sym_file *f)
{
	const uint8_t *img = f->img;
	const Elf64_Ehdr *eh = f->img;
	const Elf64_Phdr *ph;
	const Elf64_Shdr *sh;
	size_t cap = 0, i, o;
	bool have_id = false;
	int err;

	if (f->size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return -ENOEXEC;
	if (eh->e_phentsize != sizeof(*ph) ||
	    !in_file(f->size, eh->e_phoff,
		     (uint64_t)eh->e_phnum * sizeof(*ph)))
		return -ENOEXEC;
	ph = (const void *)(img + eh->e_phoff);
	f->load = calloc(eh->e_phnum ? eh->e_phnum : 1, sizeof(*f->load));
	if (!f->load)
		return -ENOMEM;
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X)) {
			f->load[f->nload].vaddr = ph[i].p_vaddr;
			f->load[f->nload].offset = ph[i].p_offset;
			f->load[f->nload].filesz = ph[i].p_filesz;
			f->nload++;
		} else if (ph[i].p_type == PT_NOTE && !have_id) {
			have_id = notes_build_id(f, ph[i].p_offset,
						 ph[i].p_filesz, ph[i].p_align);
		}
	}
	f->ok = true;

	/* section headers: optional (a stripped file may have none) */
	if (!eh->e_shoff || eh->e_shentsize != sizeof(*sh) ||
	    !in_file(f->size, eh->e_shoff,
		     (uint64_t)eh->e_shnum * sizeof(*sh)))
		return 0;
	sh = (const void *)(img + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type == SHT_NOTE && !have_id)
			have_id = notes_build_id(f, sh[i].sh_offset,
						 sh[i].sh_size,
						 sh[i].sh_addralign);
		if (sh[i].sh_type == SHT_SYMTAB || sh[i].sh_type == SHT_DYNSYM) {
			o = f->nfn;
			err = read_symtab(f, &sh[i], sh, eh->e_shnum, &cap);
			if (err)
				return err;
			if (sh[i].sh_type == SHT_SYMTAB && f->nfn > o)
				f->all_names = true;
		}
	}
	/* a Go binary stripped with -s -w keeps its pclntab */
	if (!f->all_names) {
		const Elf64_Shdr *pcln, *text;

		pcln = section(f, sh, eh->e_shnum, eh->e_shstrndx,
			       ".gopclntab");
		text = section(f, sh, eh->e_shnum, eh->e_shstrndx, ".text");
		if (pcln) {
			o = f->nfn;
			err = read_pclntab(f, pcln, text ? text->sh_addr : 0,
					   &cap);
			if (err)
				return err;
			f->all_names = f->nfn > o;
		}
	}
	if (!f->nfn)
		return 0;
	/* sorted, one entry per start; unsized ones end at the next start */
	qsort(f->fn, f->nfn, sizeof(*f->fn), fn_cmp);
	for (i = 1, o = 0; i < f->nfn; i++)
		if (f->fn[i].start != f->fn[o].start)
			f->fn[++o] = f->fn[i];
	f->nfn = o + 1;
	for (i = 0; i < f->nfn; i++)
		if (f->fn[i].end <= f->fn[i].start)
			f->fn[i].end = i + 1 < f->nfn ? f->fn[i + 1].start :
					f->fn[i].start + 1;
	return 0;
}

int sym_file_load(struct sym_file *f, const char *path)
{
	struct stat st;
	int fd, err;

	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	if (!f->path)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !st.st_size) {
		err = -ENOEXEC;
		close(fd);
		return err;
	}
	f->img = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (f->img == MAP_FAILED) {
		f->img = NULL;
		return -errno;
	}
	f->size = st.st_size;
	return parse_elf(f);
}

void sym_file_free(struct sym_file *f)
{
	if (f->img)
		munmap(f->img, f->size);
	free(f->load);
	free(f->fn);
	free(f->path);
	memset(f, 0, sizeof(*f));
}

/* The function at ELF virtual address @va, or NULL. */
static const char *file_name(const struct sym_file *f, uint64_t va)
{
	size_t lo = 0, hi = f->nfn, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (f->fn[mid].start <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || va >= f->fn[lo - 1].end)
		return NULL;
	return f->fn[lo - 1].name;
}

const char *sym_proc_name(struct sym_proc *sp, uint64_t addr)
{
	const struct sym_map *m = NULL;
	const struct sym_file *f;
	uint64_t off;
	size_t i;

	for (i = 0; i < sp->nmaps; i++) {
		if (addr >= sp->map[i].start && addr < sp->map[i].end) {
			m = &sp->map[i];
			break;
		}
	}
	if (!m || !m->file || !m->file->ok)
		return NULL;
	f = m->file;
	off = addr - m->start + m->offset;
	for (i = 0; i < f->nload; i++) {
		if (off >= f->load[i].offset &&
		    off - f->load[i].offset < f->load[i].filesz)
			return file_name(f, off - f->load[i].offset +
					 f->load[i].vaddr);
	}
	return NULL;
}

const char *sym_proc_name_cb(void *sp, uint64_t addr)
{
	return sym_proc_name(sp, addr);
}

/* The file @path, read once per process. */
static struct sym_file *proc_file(struct sym_proc *sp, const char *path,
				  const char *root)
{
	struct sym_file *f, **nf;
	char *full;
	size_t i;

	for (i = 0; i < sp->nfiles; i++)
		if (!strcmp(sp->file[i]->path, path))
			return sp->file[i];
	nf = realloc(sp->file, (sp->nfiles + 1) * sizeof(*nf));
	if (!nf)
		return NULL;
	sp->file = nf;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	if (asprintf(&full, "%s%s", root ? root : "", path) < 0) {
		free(f);
		return NULL;
	}
	/* a file we cannot read keeps its mapping, without names */
	if (sym_file_load(f, full))
		f->ok = false;
	free(full);
	/* keyed by the path as the process sees it */
	free(f->path);
	f->path = strdup(path);
	if (!f->path) {
		sym_file_free(f);
		free(f);
		return NULL;
	}
	sp->file[sp->nfiles++] = f;
	return f;
}

int sym_proc_load(struct sym_proc *sp, const char *maps_path,
		  const char *root)
{
	char *line = NULL, perms[8], *path;
	uint64_t start, end, off;
	size_t cap = 0, mcap = 0;
	struct sym_map *m;
	int pos, err = 0;
	FILE *fp;

	memset(sp, 0, sizeof(*sp));
	fp = fopen(maps_path, "re");
	if (!fp)
		return -errno;
	while (getline(&line, &cap, fp) > 0) {
		line[strcspn(line, "\n")] = '\0';
		pos = 0;
		/* start-end perms offset dev inode [path] */
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64
			   " %*s %*s %n", &start, &end, perms, &off, &pos) < 4 ||
		    !pos || strlen(perms) < 3 || perms[2] != 'x' || end <= start)
			continue;
		path = line + pos;
		if (sp->nmaps == mcap) {
			size_t ncap = mcap ? mcap * 2 : 32;
			void *nm = realloc(sp->map, ncap * sizeof(*sp->map));

			if (!nm) {
				err = -ENOMEM;
				break;
			}
			sp->map = nm;
			mcap = ncap;
		}
		m = &sp->map[sp->nmaps];
		memset(m, 0, sizeof(*m));
		m->start = start;
		m->end = end;
		m->offset = off;
		m->path = strdup(path);
		if (!m->path) {
			err = -ENOMEM;
			break;
		}
		sp->nmaps++;
		if (path[0] == '/') {
			m->file = proc_file(sp, path, root);
			if (!m->file) {
				err = -ENOMEM;
				break;
			}
		}
	}
	free(line);
	fclose(fp);
	if (err)
		sym_proc_free(sp);
	return err;
}

void sym_proc_free(struct sym_proc *sp)
{
	size_t i;

	for (i = 0; i < sp->nmaps; i++)
		free(sp->map[i].path);
	for (i = 0; i < sp->nfiles; i++) {
		sym_file_free(sp->file[i]);
		free(sp->file[i]);
	}
	free(sp->map);
	free(sp->file);
	memset(sp, 0, sizeof(*sp));
}

static int add_map(struct pprof_profile *p, const struct sym_map *m)
{
	const struct sym_file *f = m->file;

	/*
	 * has_functions only with a full symbol table: with .dynsym alone
	 * (a stripped library), pprof may still do better offline.
	 */
	return pprof_add_mapping(p, m->start, m->end, m->offset, m->path,
				 f && f->ok ? f->build_id : NULL,
				 f && f->ok && f->all_names);
}

int sym_proc_to_pprof(struct sym_proc *sp, struct pprof_profile *p)
{
	size_t i, main_map = sp->nmaps;
	int err;

	for (i = 0; i < sp->nmaps && main_map == sp->nmaps; i++)
		if (sp->map[i].file)
			main_map = i;
	if (main_map < sp->nmaps) {
		err = add_map(p, &sp->map[main_map]);
		if (err)
			return err;
	}
	for (i = 0; i < sp->nmaps; i++) {
		if (i == main_map)
			continue;
		err = add_map(p, &sp->map[i]);
		if (err)
			return err;
	}
	p->name = sym_proc_name_cb;
	p->name_ctx = sp;
	return 0;
}
