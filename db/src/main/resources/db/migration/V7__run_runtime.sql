-- A second runtime (issue #16): a run is measured on a JDK ('jvm') or on a Python interpreter ('python'). For a Python
-- run jdk_feature is 0, jdk_version holds the interpreter's version, jdk_vendor its implementation (CPython) and
-- jdk_home the interpreter's path; the document's python block has the rest.
ALTER TABLE run ADD COLUMN runtime VARCHAR(16) DEFAULT 'jvm' NOT NULL;
