# The two commands of the README: `make run` (the dashboard) and `make test` (the whole suite).
# Each sets up everything it needs on a fresh machine.
.PHONY: run test setup db lint screenshots bench serve stop

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

screenshots:
	bash scripts/setup.sh test && .venv/bin/python scripts/screenshots.py

bench:
	bash scripts/setup.sh test && .venv/bin/python bench/etl.py && .venv/bin/python bench/app.py

# Public serving: nginx on $(PORT) (8080) in front of $(REPLICAS) (2) replicas; `make stop` ends them.
serve:
	bash scripts/serve.sh

stop:
	bash scripts/stop.sh
