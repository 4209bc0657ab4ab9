"""Auto-assign: staff shifts with the CP-SAT engine, as an asynchronous job.

Start reading at ``engine/__init__.py`` (the pure solver and its problem format,
``engine/FORMAT.md``); the job that builds a problem from the database, runs the engine
and writes proposals back lives beside it.
"""
