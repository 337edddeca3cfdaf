"""The demo catalogue ``python manage.py seed_demo`` loads: data files, and how they are written.

This folder holds the content as files an author edits by hand (README.md describes
them): ``home.md``, ``catalogue.md``, ``faculty.yaml``, ``images.yaml`` and
``images/``, ``references.yaml``, ``runs.yaml``, ``accounts.yaml``, and one folder per
course under ``courses/`` with its ``course.md`` and a Markdown file per module.

* :mod:`courses.demo.catalogue` reads and checks them (no database).
* :mod:`courses.demo.seeder` writes what is missing through the services an author's,
  a reviewer's and an administrator's actions use.

Other apps add their own demo content by registering a function under the Wagtail hook
``lms_seed_demo`` (:data:`courses.demo.seeder.SEED_HOOK`) in their ``wagtail_hooks.py``::

    @hooks.register("lms_seed_demo")
    def seed_demo_quizzes(seeder):
        ...

Each is called with the :class:`~courses.demo.seeder.DemoSeeder` once the catalogue is
in place, inside ``seed_demo``'s transaction, in app order (quizzes before
certificates); it must be idempotent, write through its app's services, and raise
:class:`lms.demo_data.DemoDataError` for content it cannot load. ``courses`` never
imports the apps that build on it.
"""
