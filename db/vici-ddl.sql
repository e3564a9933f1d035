-- vici-brain-gateway: our own definition of the VICIdial tables the gateway reads or writes.
--
-- Used to build test and demo databases. Every table must come out column for column and
-- index for index like the one a real VICIdial server (schema version 1540, SVN r2944) has;
-- test/vici-ddl.test.ts compares the information_schema of both.
--
-- Conventions of this file:
--   * MyISAM everywhere, like VICIdial: no transactions, no foreign keys, table locks.
--     Code must never count on a rollback against these tables.
--   * No character set or collation here: tables take the database default, as VICIdial's do.
--   * Nothing depends on session settings (sql_mode, explicit_defaults_for_timestamp): the
--     file loads the same on a strict MariaDB 10.11 and on a lax production-style server.
--   * Integer display widths such as int(9) are kept only so that COLUMN_TYPE matches; they
--     do not limit values.
--   * Loaded with one multi-statement query: no DELIMITER, no CREATE DATABASE / USE, no data.

-- Leads. A lead has no campaign column: it belongs to a list, and vicidial_lists says which
-- campaign owns the list. entry_date and the other DATETIMEs are server local time.
-- vendor_lead_code, entry_date and modify_date have no index: page by lead_id instead.
create table vicidial_list (
  lead_id                 int(9) unsigned not null auto_increment,
  entry_date              datetime,
  modify_date             timestamp not null default current_timestamp on update current_timestamp,  -- spelled out: must not depend on explicit_defaults_for_timestamp
  status                  varchar(6),
  user                    varchar(20),
  vendor_lead_code        varchar(20),  -- our link to Brain; not indexed, not unique
  source_id               varchar(50),
  list_id                 bigint(14) unsigned not null default 0,  -- the campaign is found through vicidial_lists
  gmt_offset_now          decimal(4,2) default 0.00,  -- hours, DST included
  called_since_last_reset enum('Y','N','Y1','Y2','Y3','Y4','Y5','Y6','Y7','Y8','Y9','Y10') default 'N',  -- hopper dials N only
  phone_code              varchar(10),
  phone_number            varchar(18) not null,  -- national number, digits only
  title                   varchar(4),
  first_name              varchar(30),
  middle_initial          varchar(1),
  last_name               varchar(30),
  address1                varchar(100),
  address2                varchar(100),
  address3                varchar(100),
  city                    varchar(50),
  state                   varchar(2),
  province                varchar(50),
  postal_code             varchar(10),
  country_code            varchar(3),
  gender                  enum('M','F','U') default 'U',
  date_of_birth           date,
  alt_phone               varchar(12),
  email                   varchar(70),
  security_phrase         varchar(100),
  comments                varchar(255),
  called_count            smallint(5) unsigned default 0,
  last_local_call_time    datetime,  -- lead-local wall clock, not server time
  `rank`                  smallint(5) not null default 0,  -- quoted: reserved word from MySQL 8.0.2
  owner                   varchar(20) default '',
  entry_list_id           bigint(14) unsigned not null default 0,  -- 0 = custom fields follow list_id
  primary key (lead_id),
  key phone_number (phone_number),
  key list_id (list_id),
  key status (status),
  key called_since_last_reset (called_since_last_reset),
  key gmt_offset_now (gmt_offset_now),
  key last_local_call_time (last_local_call_time),
  key postal_code (postal_code),
  key `rank` (`rank`),
  key owner (owner),
  key phone_list (phone_number, list_id),
  key list_phone (list_id, phone_number),
  key list_status (list_id, status)
) engine = MyISAM;

-- Extra phone numbers of a lead, numbered by alt_phone_count (1, 2, ...).
create table vicidial_list_alt_phones (
  alt_phone_id    int(9) unsigned not null auto_increment,
  lead_id         int(9) unsigned not null,
  phone_code      varchar(10),
  phone_number    varchar(18),
  alt_phone_note  varchar(30),
  alt_phone_count smallint(5) unsigned,
  active          enum('Y','N') default 'Y',
  primary key (alt_phone_id),
  key lead_id (lead_id),
  key phone_number (phone_number)
) engine = MyISAM;

-- Lists. campaign_id here is what ties leads to a campaign (no foreign key: a lead may
-- point at a list that has no row here).
create table vicidial_lists (
  list_id                      bigint(14) unsigned not null,
  list_name                    varchar(30),
  campaign_id                  varchar(8),  -- the only link from a lead to its campaign
  active                       enum('Y','N'),
  list_description             varchar(255),
  list_changedate              datetime,
  list_lastcalldate            datetime,
  reset_time                   varchar(100) default '',  -- HHMM times of day, list reset
  agent_script_override        varchar(20) default '',
  campaign_cid_override        varchar(20) default '',
  am_message_exten_override    varchar(100) default '',
  drop_inbound_group_override  varchar(20) default '',
  xferconf_a_number            varchar(50) default '',
  xferconf_b_number            varchar(50) default '',
  xferconf_c_number            varchar(50) default '',
  xferconf_d_number            varchar(50) default '',
  xferconf_e_number            varchar(50) default '',
  web_form_address             text,
  web_form_address_two         text,
  time_zone_setting            enum('COUNTRY_AND_AREA_CODE','POSTAL_CODE','NANPA_PREFIX','OWNER_TIME_ZONE_CODE') default 'COUNTRY_AND_AREA_CODE',
  inventory_report             enum('Y','N') default 'Y',
  expiration_date              date default '2099-12-31',
  na_call_url                  text,
  local_call_time              varchar(10) not null default 'campaign',  -- campaign = take the campaign setting
  web_form_address_three       text,
  status_group_id              varchar(20) default '',
  user_new_lead_limit          smallint(5) default -1,
  inbound_list_script_override varchar(20),
  default_xfer_group           varchar(20) default '---NONE---',
  primary key (list_id)
) engine = MyISAM;

-- Custom field definitions per list; the values sit in tables named custom_<list_id>,
-- which this file does not create.
create table vicidial_lists_fields (
  field_id          int(9) unsigned not null auto_increment,
  list_id           bigint(14) unsigned not null default 0,
  field_label       varchar(50),
  field_name        varchar(5000),
  field_description varchar(100),
  field_rank        smallint(5),
  field_help        varchar(1000),
  field_type        enum('TEXT','AREA','SELECT','MULTI','RADIO','CHECKBOX','DATE','TIME','DISPLAY','SCRIPT','HIDDEN','READONLY','HIDEBLOB') default 'TEXT',
  field_options     varchar(5000),
  field_size        smallint(5),
  field_max         smallint(5),
  field_default     varchar(255),
  field_cost        smallint(5),
  field_required    enum('Y','N','INBOUND_ONLY') default 'N',
  name_position     enum('LEFT','TOP') default 'LEFT',
  multi_position    enum('HORIZONTAL','VERTICAL') default 'HORIZONTAL',
  field_order       smallint(5) default 1,
  field_encrypt     enum('Y','N') default 'N',
  field_show_hide   enum('DISABLED','X_OUT_ALL','LAST_1','LAST_2','LAST_3','LAST_4','FIRST_1_LAST_4') default 'DISABLED',
  field_duplicate   enum('Y','N') default 'N',
  primary key (field_id),
  unique key listfield (list_id, field_label)
) engine = MyISAM;

-- Campaigns. The gateway reads only a few columns (id, name, active, dial statuses,
-- call times, DNC settings); the full column list is kept so the table matches a real one.
create table vicidial_campaigns (
  campaign_id                           varchar(8) not null,  -- compared case-insensitively by VICIdial
  campaign_name                         varchar(40),
  active                                enum('Y','N'),
  dial_status_a                         varchar(6),
  dial_status_b                         varchar(6),
  dial_status_c                         varchar(6),
  dial_status_d                         varchar(6),
  dial_status_e                         varchar(6),
  lead_order                            varchar(30),
  park_ext                              varchar(10),
  park_file_name                        varchar(100) default 'default',
  web_form_address                      text,
  allow_closers                         enum('Y','N'),
  hopper_level                          int(8) unsigned default 1,
  auto_dial_level                       varchar(6) default '0',
  next_agent_call                       enum('random','oldest_call_start','oldest_call_finish','campaign_rank','overall_user_level','fewest_calls','longest_wait_time','campaign_grade_random') default 'longest_wait_time',
  local_call_time                       varchar(10) default '9am-9pm',  -- id of a vicidial_call_times row
  voicemail_ext                         varchar(10),
  dial_timeout                          tinyint(3) unsigned default 60,
  dial_prefix                           varchar(20) default '9',
  campaign_cid                          varchar(20) default '0000000000',
  campaign_vdad_exten                   varchar(20) default '8368',
  campaign_rec_exten                    varchar(20) default '8309',
  campaign_recording                    enum('NEVER','ONDEMAND','ALLCALLS','ALLFORCE') default 'ONDEMAND',
  campaign_rec_filename                 varchar(50) default 'FULLDATE_CUSTPHONE',
  campaign_script                       varchar(20),
  get_call_launch                       enum('NONE','SCRIPT','WEBFORM','WEBFORMTWO','WEBFORMTHREE','FORM','PREVIEW_WEBFORM','PREVIEW_WEBFORMTWO','PREVIEW_WEBFORMTHREE') default 'NONE',
  am_message_exten                      varchar(100) default 'vm-goodbye',
  amd_send_to_vmx                       enum('Y','N') default 'N',
  xferconf_a_dtmf                       varchar(50),
  xferconf_a_number                     varchar(50),
  xferconf_b_dtmf                       varchar(50),
  xferconf_b_number                     varchar(50),
  alt_number_dialing                    enum('N','Y','SELECTED','SELECTED_TIMER_ALT','SELECTED_TIMER_ADDR3') default 'N',
  scheduled_callbacks                   enum('Y','N') default 'N',
  lead_filter_id                        varchar(20) default 'NONE',  -- SQL fragment ANDed into the hopper query
  drop_call_seconds                     tinyint(3) default 5,
  drop_action                           enum('HANGUP','MESSAGE','VOICEMAIL','IN_GROUP','AUDIO','CALLMENU','VMAIL_NO_INST') default 'AUDIO',
  safe_harbor_exten                     varchar(20) default '8307',
  display_dialable_count                enum('Y','N') default 'Y',
  wrapup_seconds                        smallint(3) unsigned default 0,
  wrapup_message                        varchar(255) default 'Wrapup Call',
  closer_campaigns                      text,
  use_internal_dnc                      enum('Y','N','AREACODE') default 'N',  -- check vicidial_dnc in the hopper
  allcalls_delay                        smallint(3) unsigned default 0,
  omit_phone_code                       enum('Y','N') default 'N',
  dial_method                           enum('MANUAL','RATIO','ADAPT_HARD_LIMIT','ADAPT_TAPERED','ADAPT_AVERAGE','INBOUND_MAN') default 'MANUAL',
  available_only_ratio_tally            enum('Y','N') default 'N',
  adaptive_dropped_percentage           varchar(4) default '3',
  adaptive_maximum_level                varchar(6) default '3.0',
  adaptive_latest_server_time           varchar(4) default '2100',
  adaptive_intensity                    varchar(6) default '0',
  adaptive_dl_diff_target               smallint(3) default 0,
  concurrent_transfers                  enum('AUTO','1','2','3','4','5','6','7','8','9','10','15','20','25','30','40','50','60','80','100') default 'AUTO',
  auto_alt_dial                         enum('NONE','ALT_ONLY','ADDR3_ONLY','ALT_AND_ADDR3','ALT_AND_EXTENDED','ALT_AND_ADDR3_AND_EXTENDED','EXTENDED_ONLY','MULTI_LEAD') default 'NONE',
  auto_alt_dial_statuses                varchar(255) default ' B N NA DC -',
  agent_pause_codes_active              enum('Y','N','FORCE') default 'N',
  campaign_description                  varchar(255),
  campaign_changedate                   datetime,
  campaign_stats_refresh                enum('Y','N') default 'N',
  campaign_logindate                    datetime,
  dial_statuses                         varchar(255) default ' NEW -',  -- statuses the hopper will dial, space separated
  disable_alter_custdata                enum('Y','N') default 'N',
  no_hopper_leads_logins                enum('Y','N') default 'N',
  list_order_mix                        varchar(20) default 'DISABLED',
  campaign_allow_inbound                enum('Y','N') default 'N',
  manual_dial_list_id                   bigint(14) unsigned default 998,
  default_xfer_group                    varchar(20) default '---NONE---',
  xfer_groups                           text,
  queue_priority                        tinyint(2) default 50,
  drop_inbound_group                    varchar(20) default '---NONE---',
  qc_enabled                            enum('Y','N') default 'N',
  qc_statuses                           text,
  qc_lists                              text,
  qc_shift_id                           varchar(20) default '24HRMIDNIGHT',
  qc_get_record_launch                  enum('NONE','SCRIPT','WEBFORM','QCSCRIPT','QCWEBFORM') default 'NONE',
  qc_show_recording                     enum('Y','N') default 'Y',
  qc_web_form_address                   varchar(255),
  qc_script                             varchar(20),
  survey_first_audio_file               varchar(50) default 'US_pol_survey_hello',
  survey_dtmf_digits                    varchar(16) default '1238',
  survey_ni_digit                       varchar(1) default '8',
  survey_opt_in_audio_file              varchar(50) default 'US_pol_survey_transfer',
  survey_ni_audio_file                  varchar(50) default 'US_thanks_no_contact',
  survey_method                         enum('AGENT_XFER','VOICEMAIL','EXTENSION','HANGUP','CAMPREC_60_WAV','CALLMENU','VMAIL_NO_INST') default 'AGENT_XFER',
  survey_no_response_action             enum('OPTIN','OPTOUT','DROP') default 'OPTIN',
  survey_ni_status                      varchar(6) default 'NI',
  survey_response_digit_map             varchar(255) default '1-DEMOCRAT|2-REPUBLICAN|3-INDEPENDANT|8-OPTOUT|X-NO RESPONSE|',
  survey_xfer_exten                     varchar(20) default '8300',
  survey_camp_record_dir                varchar(255) default '/home/survey',
  disable_alter_custphone               enum('Y','N','HIDE') default 'Y',
  display_queue_count                   enum('Y','N') default 'Y',
  manual_dial_filter                    varchar(50) default 'NONE',
  agent_clipboard_copy                  varchar(50) default 'NONE',
  agent_extended_alt_dial               enum('Y','N') default 'N',
  use_campaign_dnc                      enum('Y','N','AREACODE') default 'N',  -- check vicidial_campaign_dnc in the hopper
  three_way_call_cid                    enum('CAMPAIGN','CUSTOMER','AGENT_PHONE','AGENT_CHOOSE','CUSTOM_CID') default 'CAMPAIGN',
  three_way_dial_prefix                 varchar(20) default '',
  web_form_target                       varchar(100) not null default 'vdcwebform',
  vtiger_search_category                varchar(100) default 'LEAD',
  vtiger_create_call_record             enum('Y','N','DISPO') default 'Y',
  vtiger_create_lead_record             enum('Y','N') default 'Y',
  vtiger_screen_login                   enum('Y','N','NEW_WINDOW') default 'Y',
  cpd_amd_action                        enum('DISABLED','DISPO','MESSAGE','CALLMENU','INGROUP') default 'DISABLED',
  agent_allow_group_alias               enum('Y','N') default 'N',
  default_group_alias                   varchar(30) default '',
  vtiger_search_dead                    enum('DISABLED','ASK','RESURRECT') default 'ASK',
  vtiger_status_call                    enum('Y','N') default 'N',
  survey_third_digit                    varchar(1) default '',
  survey_third_audio_file               varchar(50) default 'US_thanks_no_contact',
  survey_third_status                   varchar(6) default 'NI',
  survey_third_exten                    varchar(20) default '8300',
  survey_fourth_digit                   varchar(1) default '',
  survey_fourth_audio_file              varchar(50) default 'US_thanks_no_contact',
  survey_fourth_status                  varchar(6) default 'NI',
  survey_fourth_exten                   varchar(20) default '8300',
  drop_lockout_time                     varchar(6) default '0',  -- hours a DROP lead is held back
  quick_transfer_button                 varchar(20) default 'N',
  prepopulate_transfer_preset           enum('N','PRESET_1','PRESET_2','PRESET_3','PRESET_4','PRESET_5') default 'N',
  drop_rate_group                       varchar(20) default 'DISABLED',
  view_calls_in_queue                   enum('NONE','ALL','1','2','3','4','5') default 'NONE',
  view_calls_in_queue_launch            enum('AUTO','MANUAL') default 'MANUAL',
  grab_calls_in_queue                   enum('Y','N') default 'N',
  call_requeue_button                   enum('Y','N') default 'N',
  pause_after_each_call                 enum('Y','N') default 'N',
  no_hopper_dialing                     enum('Y','N') default 'N',
  agent_dial_owner_only                 enum('NONE','USER','TERRITORY','USER_GROUP','USER_BLANK','TERRITORY_BLANK','USER_GROUP_BLANK') default 'NONE',
  agent_display_dialable_leads          enum('Y','N') default 'N',
  web_form_address_two                  text,
  waitforsilence_options                varchar(25) default '',
  agent_select_territories              enum('Y','N') default 'N',
  campaign_calldate                     datetime,
  crm_popup_login                       enum('Y','N') default 'N',
  crm_login_address                     text,
  timer_action                          varchar(20) default 'NONE',
  timer_action_message                  varchar(255) default '',
  timer_action_seconds                  mediumint(7) default -1,
  start_call_url                        text,
  dispo_call_url                        text,
  xferconf_c_number                     varchar(50) default '',
  xferconf_d_number                     varchar(50) default '',
  xferconf_e_number                     varchar(50) default '',
  use_custom_cid                        enum('Y','N','AREACODE','USER_CUSTOM_1','USER_CUSTOM_2','USER_CUSTOM_3','USER_CUSTOM_4','USER_CUSTOM_5') default 'N',
  scheduled_callbacks_alert             enum('NONE','BLINK','RED','BLINK_RED','BLINK_DEFER','RED_DEFER','BLINK_RED_DEFER') default 'NONE',
  queuemetrics_callstatus_override      enum('DISABLED','NO','YES') default 'DISABLED',
  extension_appended_cidname            enum('Y','N','Y_USER','Y_WITH_CAMPAIGN','Y_USER_WITH_CAMPAIGN') default 'N',
  scheduled_callbacks_count             enum('LIVE','ALL_ACTIVE') default 'ALL_ACTIVE',
  manual_dial_override                  enum('NONE','ALLOW_ALL','DISABLE_ALL') default 'NONE',
  blind_monitor_warning                 enum('DISABLED','ALERT','NOTICE','AUDIO','ALERT_NOTICE','ALERT_AUDIO','NOTICE_AUDIO','ALL') default 'DISABLED',
  blind_monitor_message                 varchar(255) default 'Someone is blind monitoring your session',
  blind_monitor_filename                varchar(100) default '',
  inbound_queue_no_dial                 enum('DISABLED','ENABLED','ALL_SERVERS','ENABLED_WITH_CHAT','ALL_SERVERS_WITH_CHAT') default 'DISABLED',
  timer_action_destination              varchar(30) default '',
  enable_xfer_presets                   enum('DISABLED','ENABLED','CONTACTS') default 'DISABLED',
  hide_xfer_number_to_dial              enum('DISABLED','ENABLED') default 'DISABLED',
  manual_dial_prefix                    varchar(20) default '',
  customer_3way_hangup_logging          enum('DISABLED','ENABLED') default 'ENABLED',
  customer_3way_hangup_seconds          smallint(5) unsigned default 5,
  customer_3way_hangup_action           enum('NONE','DISPO') default 'NONE',
  ivr_park_call                         enum('DISABLED','ENABLED','ENABLED_PARK_ONLY','ENABLED_BUTTON_HIDDEN') default 'DISABLED',
  ivr_park_call_agi                     text,
  manual_preview_dial                   enum('DISABLED','PREVIEW_AND_SKIP','PREVIEW_ONLY') default 'PREVIEW_AND_SKIP',
  realtime_agent_time_stats             enum('DISABLED','WAIT_CUST_ACW','WAIT_CUST_ACW_PAUSE','CALLS_WAIT_CUST_ACW_PAUSE') default 'CALLS_WAIT_CUST_ACW_PAUSE',
  use_auto_hopper                       enum('Y','N') default 'Y',
  auto_hopper_multi                     varchar(6) default '1',
  auto_hopper_level                     mediumint(8) unsigned default 0,
  auto_trim_hopper                      enum('Y','N') default 'Y',
  api_manual_dial                       enum('STANDARD','QUEUE','QUEUE_AND_AUTOCALL') default 'STANDARD',
  manual_dial_call_time_check           enum('DISABLED','ENABLED') default 'DISABLED',
  display_leads_count                   enum('Y','N') default 'N',
  lead_order_randomize                  enum('Y','N') default 'N',
  lead_order_secondary                  enum('LEAD_ASCEND','LEAD_DESCEND','CALLTIME_ASCEND','CALLTIME_DESCEND','VENDOR_ASCEND','VENDOR_DESCEND') default 'LEAD_ASCEND',
  per_call_notes                        enum('ENABLED','DISABLED') default 'DISABLED',
  my_callback_option                    enum('CHECKED','UNCHECKED') default 'UNCHECKED',
  agent_lead_search                     enum('ENABLED','LIVE_CALL_INBOUND','LIVE_CALL_INBOUND_AND_MANUAL','DISABLED') default 'DISABLED',
  agent_lead_search_method              varchar(30) default 'CAMPLISTS_ALL',
  queuemetrics_phone_environment        varchar(20) default '',
  auto_pause_precall                    enum('Y','N') default 'N',
  auto_pause_precall_code               varchar(6) default 'PRECAL',
  auto_resume_precall                   enum('Y','N') default 'N',
  manual_dial_cid                       enum('CAMPAIGN','AGENT_PHONE') default 'CAMPAIGN',
  post_phone_time_diff_alert            varchar(30) default 'DISABLED',
  custom_3way_button_transfer           varchar(30) default 'DISABLED',
  available_only_tally_threshold        enum('DISABLED','LOGGED-IN_AGENTS','NON-PAUSED_AGENTS','WAITING_AGENTS') default 'DISABLED',
  available_only_tally_threshold_agents smallint(5) unsigned default 0,
  dial_level_threshold                  enum('DISABLED','LOGGED-IN_AGENTS','NON-PAUSED_AGENTS','WAITING_AGENTS') default 'DISABLED',
  dial_level_threshold_agents           smallint(5) unsigned default 0,
  safe_harbor_audio                     varchar(100) default 'buzz',
  safe_harbor_menu_id                   varchar(50) default '',
  survey_menu_id                        varchar(50) default '',
  callback_days_limit                   smallint(3) default 0,
  dl_diff_target_method                 enum('ADAPT_CALC_ONLY','CALLS_PLACED') default 'ADAPT_CALC_ONLY',
  disable_dispo_screen                  enum('DISPO_ENABLED','DISPO_DISABLED','DISPO_SELECT_DISABLED') default 'DISPO_ENABLED',
  disable_dispo_status                  varchar(6) default '',
  screen_labels                         varchar(20) default '--SYSTEM-SETTINGS--',
  status_display_fields                 varchar(30) default 'CALLID',
  na_call_url                           text,
  survey_recording                      enum('Y','N','Y_WITH_AMD') default 'N',
  pllb_grouping                         enum('DISABLED','ONE_SERVER_ONLY','CASCADING') default 'DISABLED',
  pllb_grouping_limit                   smallint(5) default 50,
  call_count_limit                      smallint(5) unsigned default 0,  -- 0 = no limit on dial attempts
  call_count_target                     smallint(5) unsigned default 3,
  callback_hours_block                  tinyint(2) default 0,
  callback_list_calltime                enum('ENABLED','DISABLED') default 'DISABLED',
  user_group                            varchar(20) default '---ALL---',
  hopper_vlc_dup_check                  enum('Y','N') default 'N',
  in_group_dial                         enum('DISABLED','MANUAL_DIAL','NO_DIAL','BOTH') default 'DISABLED',
  in_group_dial_select                  enum('AGENT_SELECTED','CAMPAIGN_SELECTED','ALL_USER_GROUP') default 'CAMPAIGN_SELECTED',
  safe_harbor_audio_field               varchar(30) default 'DISABLED',
  pause_after_next_call                 enum('ENABLED','DISABLED') default 'DISABLED',
  owner_populate                        enum('ENABLED','DISABLED') default 'DISABLED',
  use_other_campaign_dnc                varchar(8) default '',  -- share the DNC list of another campaign
  allow_emails                          enum('Y','N') default 'N',
  amd_inbound_group                     varchar(20) default '',
  amd_callmenu                          varchar(50) default '',
  survey_wait_sec                       tinyint(3) default 10,
  manual_dial_lead_id                   enum('Y','N') default 'N',
  dead_max                              smallint(5) unsigned default 0,
  dead_max_dispo                        varchar(6) default 'DCMX',
  dispo_max                             smallint(5) unsigned default 0,
  dispo_max_dispo                       varchar(6) default 'DISMX',
  pause_max                             smallint(5) unsigned default 0,
  max_inbound_calls                     smallint(5) unsigned default 0,
  manual_dial_search_checkbox           enum('SELECTED','SELECTED_RESET','UNSELECTED','UNSELECTED_RESET','SELECTED_LOCK','UNSELECTED_LOCK') default 'SELECTED',
  hide_call_log_info                    enum('Y','N') default 'N',
  timer_alt_seconds                     smallint(5) default 0,
  wrapup_bypass                         enum('DISABLED','ENABLED') default 'ENABLED',
  wrapup_after_hotkey                   enum('DISABLED','ENABLED') default 'DISABLED',
  callback_active_limit                 smallint(5) unsigned default 0,
  callback_active_limit_override        enum('N','Y') default 'N',
  allow_chats                           enum('Y','N') default 'N',
  comments_all_tabs                     enum('DISABLED','ENABLED') default 'DISABLED',
  comments_dispo_screen                 enum('DISABLED','ENABLED','REPLACE_CALL_NOTES') default 'DISABLED',
  comments_callback_screen              enum('DISABLED','ENABLED','REPLACE_CB_NOTES') default 'DISABLED',
  qc_comment_history                    enum('CLICK','AUTO_OPEN','CLICK_ALLOW_MINIMIZE','AUTO_OPEN_ALLOW_MINIMIZE') default 'CLICK',
  show_previous_callback                enum('DISABLED','ENABLED') default 'ENABLED',
  clear_script                          enum('DISABLED','ENABLED') default 'DISABLED',
  cpd_unknown_action                    enum('DISABLED','DISPO','MESSAGE','CALLMENU','INGROUP') default 'DISABLED',
  manual_dial_search_filter             varchar(50) default 'NONE',
  web_form_address_three                text,
  manual_dial_override_field            enum('ENABLED','DISABLED') default 'ENABLED',
  status_display_ingroup                enum('ENABLED','DISABLED') default 'ENABLED',
  customer_gone_seconds                 smallint(5) unsigned default 30,
  agent_display_fields                  varchar(100) default '',
  am_message_wildcards                  enum('Y','N') default 'N',
  manual_dial_timeout                   varchar(3) default '',
  routing_initiated_recordings          enum('Y','N') default 'N',
  manual_dial_hopper_check              enum('Y','N') default 'N',
  callback_useronly_move_minutes        mediumint(5) unsigned default 0,
  ofcom_uk_drop_calc                    enum('Y','N') default 'N',
  manual_auto_next                      smallint(5) unsigned default 0,
  manual_auto_show                      enum('Y','N') default 'N',
  allow_required_fields                 enum('Y','N') default 'N',
  dead_to_dispo                         enum('ENABLED','DISABLED') default 'DISABLED',
  agent_xfer_validation                 enum('N','Y') default 'N',
  ready_max_logout                      mediumint(7) default 0,
  callback_display_days                 smallint(3) default 0,
  three_way_record_stop                 enum('Y','N') default 'N',
  hangup_xfer_record_start              enum('Y','N') default 'N',
  scheduled_callbacks_email_alert       enum('Y','N') default 'N',
  max_inbound_calls_outcome             enum('DEFAULT','ALLOW_AGENTDIRECT','ALLOW_MI_PAUSE','ALLOW_AGENTDIRECT_AND_MI_PAUSE') default 'DEFAULT',
  manual_auto_next_options              enum('DEFAULT','PAUSE_NO_COUNT') default 'DEFAULT',
  agent_screen_time_display             enum('DISABLED','ENABLED_BASIC','ENABLED_FULL','ENABLED_BILL_BREAK_LUNCH_COACH') default 'DISABLED',
  next_dial_my_callbacks                enum('DISABLED','ENABLED') default 'DISABLED',
  inbound_no_agents_no_dial_container   varchar(40) default '---DISABLED---',
  inbound_no_agents_no_dial_threshold   smallint(5) default 0,
  cid_group_id                          varchar(20) default '---DISABLED---',
  pause_max_dispo                       varchar(6) default 'PAUSMX',
  script_top_dispo                      enum('Y','N') default 'N',
  primary key (campaign_id)
) engine = MyISAM;

-- System-wide dispositions and their flags (sale, dnc, human_answered, ...).
create table vicidial_statuses (
  status             varchar(6) not null,
  status_name        varchar(30),
  selectable         enum('Y','N') default 'N',
  human_answered     enum('Y','N') default 'N',
  category           varchar(20) default 'UNDEFINED',
  sale               enum('Y','N') default 'N',
  dnc                enum('Y','N') default 'N',
  customer_contact   enum('Y','N') default 'N',
  not_interested     enum('Y','N') default 'N',
  unworkable         enum('Y','N') default 'N',
  scheduled_callback enum('Y','N') default 'N',
  completed          enum('Y','N') default 'N',
  min_sec            int(5) unsigned default 0,
  max_sec            int(5) unsigned default 0,
  answering_machine  enum('Y','N') default 'N',
  primary key (status)
) engine = MyISAM;

-- Dispositions added by one campaign. There is no primary key, only the unique
-- (status, campaign_id) pair.
create table vicidial_campaign_statuses (
  status             varchar(6) not null,
  status_name        varchar(30),
  selectable         enum('Y','N'),
  campaign_id        varchar(20),
  human_answered     enum('Y','N') default 'N',
  category           varchar(20) default 'UNDEFINED',
  sale               enum('Y','N') default 'N',
  dnc                enum('Y','N') default 'N',
  customer_contact   enum('Y','N') default 'N',
  not_interested     enum('Y','N') default 'N',
  unworkable         enum('Y','N') default 'N',
  scheduled_callback enum('Y','N') default 'N',
  completed          enum('Y','N') default 'N',
  min_sec            int(5) unsigned default 0,
  max_sec            int(5) unsigned default 0,
  answering_machine  enum('Y','N') default 'N',
  unique key vicidial_campaign_statuses_key (status, campaign_id),
  key campaign_id (campaign_id)
) engine = MyISAM;

-- System-wide do-not-call numbers: national number, no country code. Entries such as
-- 727XXXXXXX block an area code where a campaign checks in AREACODE mode.
create table vicidial_dnc (
  phone_number varchar(18) not null,
  primary key (phone_number)
) engine = MyISAM;

-- Per-campaign do-not-call numbers. No primary key, unique (phone_number, campaign_id).
create table vicidial_campaign_dnc (
  phone_number varchar(18) not null,
  campaign_id  varchar(8) not null,
  unique key phonecamp (phone_number, campaign_id),
  key phone_number (phone_number)
) engine = MyISAM;

-- Outbound call attempts, one row each (auto and manual dial). Only lead_id and call_date
-- are indexed: filter by call_date first when looking for a phone number.
create table vicidial_log (
  uniqueid      varchar(20) not null,  -- Asterisk call id
  lead_id       int(9) unsigned not null,
  list_id       bigint(14) unsigned,
  campaign_id   varchar(8),
  call_date     datetime,  -- server local time
  start_epoch   int(10) unsigned,
  end_epoch     int(10) unsigned,
  length_in_sec int(10),
  status        varchar(6),
  phone_code    varchar(10),
  phone_number  varchar(18),  -- the number dialed, maybe an alt number; not indexed
  user          varchar(20),
  comments      varchar(255),
  processed     enum('Y','N'),
  user_group    varchar(20),
  term_reason   enum('CALLER','AGENT','QUEUETIMEOUT','ABANDON','AFTERHOURS','NONE') default 'NONE',
  alt_dial      varchar(6) default 'NONE',
  called_count  smallint(5) unsigned default 0,
  primary key (uniqueid),
  key lead_id (lead_id),
  key call_date (call_date)
) engine = MyISAM;

-- Inbound and closer calls. Unlike vicidial_log it has a phone_number index.
create table vicidial_closer_log (
  closecallid    int(9) unsigned not null auto_increment,
  lead_id        int(9) unsigned not null,
  list_id        bigint(14) unsigned,
  campaign_id    varchar(20),
  call_date      datetime,  -- server local time
  start_epoch    int(10) unsigned,
  end_epoch      int(10) unsigned,
  length_in_sec  int(10),
  status         varchar(6),
  phone_code     varchar(10),
  phone_number   varchar(18),
  user           varchar(20),
  comments       varchar(255),
  processed      enum('Y','N'),
  queue_seconds  decimal(7,2) default 0.00,
  user_group     varchar(20),
  xfercallid     int(9) unsigned,
  term_reason    enum('CALLER','AGENT','QUEUETIMEOUT','ABANDON','AFTERHOURS','HOLDRECALLXFER','HOLDTIME','NOAGENT','NONE','MAXCALLS','ACFILTER','CLOSETIME') default 'NONE',
  uniqueid       varchar(20) not null default '',
  agent_only     varchar(20) default '',
  queue_position smallint(4) unsigned default 1,
  called_count   smallint(5) unsigned default 0,
  primary key (closecallid),
  key lead_id (lead_id),
  key call_date (call_date),
  key date_user (call_date, user),
  key campaign_id (campaign_id),
  key uniqueid (uniqueid),
  key phone_number (phone_number)
) engine = MyISAM;

-- ---------------------------------------------------------------------------------------------
-- Dialability: the tables VICIdial's hopper and its time-zone cron read to decide whether a
-- lead may be dialed now (../shared/vici/CALLTIMES.md; structure from schema-dialability.sql,
-- VICIdial r2944, checked by test/vici-ddl.test.ts). Read by src/vici/db/call-facts.reader.ts.
-- The three call-count tables of later VICIdial versions are in vici-ddl-call-limits.sql: a
-- server may lack them.

-- Country/area code → standard GMT offset and DST rule (DST_range, e.g. SSM-FSN). Filled by
-- VICIdial's ADMIN_area_code_populate.pl; VICIdial ships no full table. Row order matters:
-- the time-zone cron lets a later matching row win, add_lead takes a country's first row
-- for an unknown area code.
create table vicidial_phone_codes (
  country_code           smallint(5) unsigned,
  country                char(3),
  areacode               char(3),  -- digits; '*' = every number; an 'S' = also match the lead's state
  state                  varchar(4),
  GMT_offset             varchar(6),  -- standard offset, e.g. '-5.00' or '+9.50'
  DST                    enum('Y','N'),  -- not read by the cron: DST_range decides
  DST_range              varchar(8),
  geographic_description varchar(100),
  tz_code                varchar(4) default '',
  key country_area_code (country_code, areacode),
  key country_state (country_code, state),
  key country_code (country_code)
) engine = MyISAM;

-- US postal code → GMT offset (time_zone_setting POSTAL_CODE; the 24-hour limit's postcode override).
create table vicidial_postal_codes (
  postal_code  varchar(10) not null,
  state        varchar(4),
  GMT_offset   varchar(6),
  DST          enum('Y','N'),
  DST_range    varchar(8),
  country      char(3),
  country_code smallint(5) unsigned,
  key country_postal_code (country_code, postal_code)
) engine = MyISAM;

-- NANPA area code + prefix → GMT offset (time_zone_setting NANPA_PREFIX; data sold separately).
create table vicidial_nanpa_prefix_codes (
  areacode    char(3),
  prefix      char(3),
  GMT_offset  varchar(6),
  DST         enum('Y','N'),
  latitude    varchar(17),
  longitude   varchar(17),
  city        varchar(50) default '',
  state       varchar(2) default '',
  postal_code varchar(10) default '',
  country     varchar(2) default '',
  lata_type   varchar(1) default '',
  key areaprefix (areacode, prefix)
) engine = MyISAM;

-- Call times (campaign and list local_call_time). HHMM in the LEAD's local time; a weekday
-- pair 0/0 means "use the default pair", 2400/2400 closes that day.
create table vicidial_call_times (
  call_time_id                           varchar(10) not null,
  call_time_name                         varchar(30) not null,
  call_time_comments                     varchar(255) default '',
  ct_default_start                       smallint(4) unsigned not null default 900,
  ct_default_stop                        smallint(4) unsigned not null default 2100,
  ct_sunday_start                        smallint(4) unsigned default 0,
  ct_sunday_stop                         smallint(4) unsigned default 0,
  ct_monday_start                        smallint(4) unsigned default 0,
  ct_monday_stop                         smallint(4) unsigned default 0,
  ct_tuesday_start                       smallint(4) unsigned default 0,
  ct_tuesday_stop                        smallint(4) unsigned default 0,
  ct_wednesday_start                     smallint(4) unsigned default 0,
  ct_wednesday_stop                      smallint(4) unsigned default 0,
  ct_thursday_start                      smallint(4) unsigned default 0,
  ct_thursday_stop                       smallint(4) unsigned default 0,
  ct_friday_start                        smallint(4) unsigned default 0,
  ct_friday_stop                         smallint(4) unsigned default 0,
  ct_saturday_start                      smallint(4) unsigned default 0,
  ct_saturday_stop                       smallint(4) unsigned default 0,
  ct_state_call_times                    text,  -- '|rule_id|rule_id|': vicidial_state_call_times ids
  default_afterhours_filename_override   varchar(255) default '',  -- inbound only
  sunday_afterhours_filename_override    varchar(255) default '',
  monday_afterhours_filename_override    varchar(255) default '',
  tuesday_afterhours_filename_override   varchar(255) default '',
  wednesday_afterhours_filename_override varchar(255) default '',
  thursday_afterhours_filename_override  varchar(255) default '',
  friday_afterhours_filename_override    varchar(255) default '',
  saturday_afterhours_filename_override  varchar(255) default '',
  user_group                             varchar(20) default '---ALL---',
  ct_holidays                            text,  -- '|holiday_id|...': vicidial_call_time_holidays ids
  primary key (call_time_id)
) engine = MyISAM;

-- Per-state call time rules: a lead whose vicidial_list.state matches gets this window
-- INSTEAD of the call time's (so a rule can widen it).
create table vicidial_state_call_times (
  state_call_time_id       varchar(10) not null,
  state_call_time_state    varchar(2) not null,
  state_call_time_name     varchar(30) not null,
  state_call_time_comments varchar(255) default '',
  sct_default_start        smallint(4) unsigned not null default 900,
  sct_default_stop         smallint(4) unsigned not null default 2100,
  sct_sunday_start         smallint(4) unsigned default 0,
  sct_sunday_stop          smallint(4) unsigned default 0,
  sct_monday_start         smallint(4) unsigned default 0,
  sct_monday_stop          smallint(4) unsigned default 0,
  sct_tuesday_start        smallint(4) unsigned default 0,
  sct_tuesday_stop         smallint(4) unsigned default 0,
  sct_wednesday_start      smallint(4) unsigned default 0,
  sct_wednesday_stop       smallint(4) unsigned default 0,
  sct_thursday_start       smallint(4) unsigned default 0,
  sct_thursday_stop        smallint(4) unsigned default 0,
  sct_friday_start         smallint(4) unsigned default 0,
  sct_friday_stop          smallint(4) unsigned default 0,
  sct_saturday_start       smallint(4) unsigned default 0,
  sct_saturday_stop        smallint(4) unsigned default 0,
  user_group               varchar(20) default '---ALL---',
  ct_holidays              text,
  primary key (state_call_time_id)
) engine = MyISAM;

-- Dated holidays: on the SERVER's date, an ACTIVE one narrows every window of the call times
-- that list it.
create table vicidial_call_time_holidays (
  holiday_id                           varchar(30) not null,
  holiday_name                         varchar(100) not null,
  holiday_comments                     varchar(255) default '',
  holiday_date                         date,
  holiday_status                       enum('ACTIVE','INACTIVE','EXPIRED') default 'INACTIVE',
  ct_default_start                     smallint(4) unsigned not null default 900,
  ct_default_stop                      smallint(4) unsigned not null default 2100,
  default_afterhours_filename_override varchar(255) default '',
  user_group                           varchar(20) default '---ALL---',
  primary key (holiday_id)
) engine = MyISAM;

-- DNC additions and removals (campaign_id '-SYSINT-' = the system list). Its own character
-- set, as VICIdial declares it.
create table vicidial_dnc_log (
  phone_number varchar(18) not null,
  campaign_id  varchar(8) not null,
  action       enum('add','delete') default 'add',
  action_date  datetime not null,
  user         varchar(20) default '',
  key phone_number (phone_number)
) engine = MyISAM default charset = utf8 collate = utf8_unicode_ci;

-- Campaign lead filters: an SQL fragment the hopper ANDs into its lead query.
create table vicidial_lead_filters (
  lead_filter_id       varchar(20) not null,
  lead_filter_name     varchar(30) not null,
  lead_filter_comments varchar(255),
  lead_filter_sql      text,
  user_group           varchar(20) default '---ALL---',
  primary key (lead_filter_id)
) engine = MyISAM;

-- Lead recycling: a status re-dialed after attempt_delay seconds, up to attempt_maximum times.
create table vicidial_lead_recycle (
  recycle_id      int(9) unsigned not null auto_increment,
  campaign_id     varchar(8),
  status          varchar(6) not null,
  attempt_delay   smallint(5) unsigned default 1800,
  attempt_maximum tinyint(3) unsigned default 2,
  active          enum('Y','N') default 'N',
  primary key (recycle_id),
  key campaign_id (campaign_id)
) engine = MyISAM;

-- Settings containers (later versions keep CALL_LIMITS_OVERRIDE 24-hour state overrides here).
create table vicidial_settings_containers (
  container_id    varchar(40) not null,
  container_notes varchar(255) default '',
  container_type  varchar(40) default 'OTHER',
  user_group      varchar(20) default '---ALL---',
  container_entry mediumtext,
  primary key (container_id)
) engine = MyISAM default charset = utf8 collate = utf8_unicode_ci;

-- Leads queued for dialing by the hopper (AST_VDhopper.pl), taken by the dialer.
create table vicidial_hopper (
  hopper_id        int(9) unsigned not null auto_increment,
  lead_id          int(9) unsigned not null,
  campaign_id      varchar(8),
  status           enum('READY','QUEUE','INCALL','DONE','HOLD','DNC') default 'READY',
  user             varchar(20),
  list_id          bigint(14) unsigned not null,
  gmt_offset_now   decimal(4,2) default 0.00,
  state            varchar(2) default '',
  alt_dial         varchar(6) default 'NONE',
  priority         tinyint(2) default 0,
  source           varchar(1) default '',
  vendor_lead_code varchar(20) default '',
  primary key (hopper_id),
  key lead_id (lead_id)
) engine = MyISAM;
