-- vici-brain-gateway: the call-count-limit tables of LATER VICIdial versions (not in r2944).
--
-- A server has them only from db_schema_version 1612 (vicidial_lead_call_daily_counts, SVN
-- r3331), 1639 (vicidial_lead_24hour_calls, r3483) and 1702 (vicidial_phone_number_call_daily_counts,
-- r3780); check with information_schema before reading (src/vici/db/call-facts.reader.ts does).
-- Structure from ../shared/vici/schema-dialability.sql (its marked r3939 section), checked by
-- test/vici-ddl.test.ts. Load after vici-ddl.sql, only to build a "later VICIdial" database;
-- same conventions as vici-ddl.sql. Each statement stands alone, so a test can load a part.

-- Per-lead dial counts since the last timeclock end of day (daily called-count limit).
create table vicidial_lead_call_daily_counts (
  lead_id             int(9) unsigned not null,
  list_id             bigint(14) unsigned default 0,
  called_count_total  tinyint(3) unsigned default 0,
  called_count_auto   tinyint(3) unsigned default 0,
  called_count_manual tinyint(3) unsigned default 0,
  modify_date         datetime,
  unique key vlcdc_lead (lead_id),
  key list_id (list_id)
) engine = MyISAM;

-- One row per auto/manual dial, purged after 24 h (24-hour called-count limit; rolling window).
create table vicidial_lead_24hour_calls (
  lead_id      int(9) unsigned not null,
  list_id      bigint(14) unsigned default 0,
  call_date    datetime,  -- server local time
  phone_number varchar(18),
  phone_code   varchar(10),
  state        varchar(2),
  call_type    enum('MANUAL','AUTO','') default '',
  key lead_id (lead_id),
  key call_date (call_date),
  key phone_number (phone_number)
) engine = MyISAM;

-- System-wide per-phone dial counts since the last timeclock end of day.
create table vicidial_phone_number_call_daily_counts (
  phone_number varchar(18) not null,
  called_count tinyint(3) unsigned default 0,
  modify_date  datetime,
  unique key vpncdc_phone_number (phone_number)
) engine = MyISAM;

-- The campaign settings of these limits (extras/MySQL_AST_CREATE_tables.sql of SVN r3939,
-- lines 1080-1081, 1097-1100, 1129; named in CALLTIMES.md section 7; not in schema.sql or
-- schema-dialability.sql, so their types are checked against that citation only). The system
-- switches (system_settings.daily_call_count_limit, call_limit_24hour) live in a table this
-- project does not map: the reader reads them when the server has them.
alter table vicidial_campaigns
  add column daily_call_count_limit        tinyint(3) unsigned default 0,
  add column daily_limit_manual            varchar(20) default 'DISABLED',
  add column call_limit_24hour_method      enum('DISABLED','PHONE_NUMBER','LEAD') default 'DISABLED',
  add column call_limit_24hour_scope       enum('SYSTEM_WIDE','CAMPAIGN_LISTS') default 'SYSTEM_WIDE',
  add column call_limit_24hour             tinyint(3) unsigned default 0,
  add column call_limit_24hour_override    varchar(40) default 'DISABLED',
  add column daily_phone_number_call_limit tinyint(3) unsigned default 0;
