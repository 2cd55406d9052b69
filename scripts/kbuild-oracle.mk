# kbuild-oracle.mk: make itself reads a Linux tree's Kbuild files for one
# configuration and prints which objects the build would compile, without
# compiling anything. Used by scripts/kbuild-oracle.ts as the reference for
# kconfsat's Kbuild reader.
#
#   make -s -f kbuild-oracle.mk -C SCRATCH srctree=TREE KB_AUTOCONF=O/include/config/auto.conf ARCH=x86_64 SRCARCH=x86
#
# Run it from an empty scratch directory: a Kbuild file's relative paths
# ($(obj)/...) then point there, never into the tree. Output, one line per
# directory visited:
#   KBDIR dir need-builtin     (need-builtin is the directory itself when set)
#   KBY dir objects...         obj-y objects, composites expanded (need-builtin only)
#   KBM dir objects...         obj-m objects not also in obj-y, composites expanded
#   KBL dir objects...         lib-y/lib-m objects not in obj-y
# The rules are those of scripts/Makefile.build and Makefile.lib (6.1),
# written again here: a subdirectory named in obj-y gets need-builtin when
# its parent has it; obj-m and subdir-y/-m name directories visited without.

.DEFAULT_GOAL := kb-done
MAKEFLAGS += -rR

include $(KB_AUTOCONF)

# The top Makefile's lists before the arch Makefile adds to them, and what it exports to the top Kbuild.
libs-y := lib/
core-y :=
drivers-y :=
-include $(srctree)/arch/$(SRCARCH)/Makefile
ARCH_CORE := $(core-y)
ARCH_LIB := $(filter %/,$(libs-y))
ARCH_DRIVERS := $(drivers-y) $(drivers-m)

# Lists and composite parts of the directory read before (every X-y, X-m, X-objs, X- variable).
kb_reset = $(foreach v,$(filter %-y %-m %-objs %-,$(.VARIABLES)),$(eval undefine $v))

kb_file = $(firstword $(wildcard $(srctree)/$1/Kbuild) $(srctree)/$1/Makefile)

define kb_load
obj := $1
src := $1
-include $(call kb_file,$1)
endef

# The parts of composite object $1 from the suffixes $2 (foo.o: foo-objs, foo-y, ...).
kb_parts = $(strip $(foreach s,$2,$($(patsubst %.o,%$s,$1))))
# Each object of $1, or its parts when it is a composite ($2 plus "-" tell a composite).
kb_real = $(foreach m,$1,$(if $(call kb_parts,$m,$2 -),$(call kb_parts,$m,$2),$m))
kb_join = $(patsubst ./%,%,$(addprefix $1/,$2))

define kb_emit
$(info KBDIR $1 $2)
$(if $2,$(info KBY $1 $(call kb_join,$1,$(filter %.o,$(call kb_real,$(obj-y),-objs -y)))))
$(info KBM $1 $(call kb_join,$1,$(filter %.o,$(call kb_real,$(filter-out $(obj-y),$(obj-m)),-objs -y -m))))
$(info KBL $1 $(call kb_join,$1,$(filter %.o,$(filter-out $(obj-y),$(lib-y) $(lib-m)))))
$(eval kb_sub_$1 := $(call kb_join,$1,$(patsubst %/,%,$(filter %/,$(obj-y) $(obj-m)) $(subdir-y) $(subdir-m))))
$(eval kb_subb_$1 := $(call kb_join,$1,$(patsubst %/,%,$(filter %/,$(obj-y)))))
endef

kb_visit = $(kb_reset)$(eval $(call kb_load,$1))$(call kb_emit,$1,$2)$(foreach d,$(kb_sub_$1),$(call kb_visit,$d,$(if $2,$(filter $d,$(kb_subb_$1)))))

kb_result := $(call kb_visit,.,.)

kb-done: ;
