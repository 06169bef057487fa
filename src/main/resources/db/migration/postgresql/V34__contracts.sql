-- Contracts made through the admin API (/admin/v1/contracts), beside those of the config file's
-- contracts: section. The definition is the JSON body in the config file's keys, checked by the same
-- validator when stored and again when read (a provider or model may have left the config since).
CREATE TABLE contracts (
  name           text    NOT NULL PRIMARY KEY,
  definition     text    NOT NULL,
  created_at_ns  bigint  NOT NULL,
  updated_at_ns  bigint  NOT NULL
);
