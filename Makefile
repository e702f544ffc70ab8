# crm-invoicing-pl: test, lint and demo entry points. `make help` lists them.
# The virtual environment of `make odoo` when there is one.
PYTHON ?= $(if $(wildcard .venv/bin/python),.venv/bin/python,python3)
DB     ?= crm_pl_demo
ARGS   ?=
# The suite's add-ons: top-level directories with a __manifest__.py.
ADDONS := $(patsubst %/__manifest__.py,%,$(wildcard */__manifest__.py))

.DEFAULT_GOAL := help
.PHONY: help odoo test demo lint lint-all format install install-dev oca-deps clean

help:
	@echo "make odoo       set Odoo 19.0 up in .venv/ from ODOO_SRC (git URL, default"
	@echo "                Odoo's repository at ODOO_REF=19.0, or a local directory)"
	@echo "make test       pytest tests/ + Odoo tests (fresh throwaway DB, demo data,"
	@echo "                browser tours); ARGS='--odoo-only --addons crm_invoicing_pl'"
	@echo "                ARGS='--date 2027-01-04': the whole suite at a fake date"
	@echo "make demo       create (if missing) DB=$(DB) with demo data + pl_PL and serve"
	@echo "                it on http://127.0.0.1:8069 (admin / admin); another port:"
	@echo "                make demo ARGS='--port 8070'"
	@echo "make lint       ruff check, ruff format --check, pylint-odoo (mandatory checks),"
	@echo "                oca-checks-odoo-module, oca-checks-po (.pre-commit-config.yaml"
	@echo "                runs the same tools on commit: pre-commit install)"
	@echo "make lint-all   pylint-odoo with the optional checks too (not blocking)"
	@echo "make format     ruff format + ruff check --fix"
	@echo "make install-dev  pip install -r requirements.txt -r requirements-dev.txt"
	@echo "                + make oca-deps"
	@echo "make oca-deps   the OCA add-ons of requirements-oca.txt into .oca-addons/"
	@echo "                (no dependencies: the wheels would ask for an odoo package)"
	@echo "make clean      remove .test-output/"

odoo:
	python3 scripts/setup_odoo.py $(if $(ODOO_SRC),--src "$(ODOO_SRC)") $(if $(ODOO_REF),--ref "$(ODOO_REF)")

test:
	$(PYTHON) scripts/run_tests.py $(ARGS)

demo: oca-deps
	$(PYTHON) -m pip install -q -r requirements.txt
	$(PYTHON) scripts/demo.py --db $(DB) $(ARGS)

# Runs every linter, then fails if any of them found something.
lint:
	@test -n "$(ADDONS)" || { echo "no add-on found (*/__manifest__.py)"; exit 1; }
	@status=0; \
	echo "== ruff check"; $(PYTHON) -m ruff check . || status=1; \
	echo "== ruff format --check"; $(PYTHON) -m ruff format --check . || status=1; \
	for addon in $(ADDONS); do \
		echo "== pylint-odoo $$addon (.pylintrc-mandatory)"; \
		$(PYTHON) -m pylint --rcfile=.pylintrc-mandatory $$addon || status=1; \
	done; \
	echo "== oca-checks-odoo-module"; \
	$(PYTHON) -m oca_pre_commit_hooks.cli $(ADDONS) || status=1; \
	echo "== oca-checks-po (po-pretty-format off, as in OCA's template)"; \
	$(PYTHON) -m oca_pre_commit_hooks.cli_po --disable=po-pretty-format \
		$(wildcard $(addsuffix /i18n/*.po,$(ADDONS)) $(addsuffix /i18n/*.pot,$(ADDONS))) \
		|| status=1; \
	if [ $$status -ne 0 ]; then echo "make lint: FAILED (see above; 'make format' fixes formatting)"; \
	else echo "make lint: clean"; fi; \
	exit $$status

lint-all:
	-$(PYTHON) -m pylint --rcfile=.pylintrc $(ADDONS)

format:
	$(PYTHON) -m ruff format .
	$(PYTHON) -m ruff check --fix .

install: oca-deps
	$(PYTHON) -m pip install -q -r requirements.txt

install-dev: oca-deps
	$(PYTHON) -m pip install -r requirements.txt -r requirements-dev.txt

# OCA add-ons (base_tier_validation, ...) from PyPI, installed without their
# dependencies: their wheels require an `odoo` distribution that an Odoo source
# checkout does not provide. scripts/odoo_env.py adds .oca-addons/odoo/addons
# to the add-ons path.
oca-deps:
	$(PYTHON) -m pip install -q --no-deps --upgrade --target .oca-addons -r requirements-oca.txt

clean:
	rm -rf .test-output
