// One uniqueness constraint on id per label, before any MERGE: it is also the
// index every MERGE and MATCH by id uses. Run statement by statement.
CREATE CONSTRAINT framework_id IF NOT EXISTS FOR (n:Framework) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT competency_id IF NOT EXISTS FOR (n:Competency) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT profession_id IF NOT EXISTS FOR (n:Profession) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT organisation_id IF NOT EXISTS FOR (n:Organisation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT training_event_id IF NOT EXISTS FOR (n:TrainingEvent) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT initiative_id IF NOT EXISTS FOR (n:Initiative) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT driver_id IF NOT EXISTS FOR (n:Driver) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT graphmodel_load_id IF NOT EXISTS FOR (n:GraphmodelLoad) REQUIRE n.id IS UNIQUE;
// The explorer's search: names and titles of every model label in one full-text
// index (the analyzer keeps stop words, so "of" and "and" can be searched for).
CREATE FULLTEXT INDEX node_words IF NOT EXISTS FOR (n:Framework|Competency|Profession|Organisation|TrainingEvent|Initiative|Driver) ON EACH [n.name, n.title, n.id] OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words'}};
