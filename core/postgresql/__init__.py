"""Django's PostgreSQL backend, with a limit on how long a web request waits for the server
(see base.py). Used by the production settings: ``ENGINE = "core.postgresql"``."""
