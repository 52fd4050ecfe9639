// Row types of every table, as Kysely sees them.
import type { Generated } from 'kysely';

export interface RegionsTable {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  kind: string;
  parent_code: string | null;
  has_boards: boolean | number;
}

export interface HandlingUnitsTable {
  id: number;
  region_code: string;
  parent_id: number | null;
  name: string;
  kind: string;
  level: 'province' | 'city' | 'county';
  responsibilities: string;
  active: boolean | number;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface BoardsTable {
  id: number;
  region_code: string;
  post: string;
  title: string;
  holder_name: string | null;
  unit_id: number;
  active: boolean | number;
  sort_order: number;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface UsersTable {
  id: Generated<number>;
  phone: string | null;
  password_hash: string | null;
  nickname: string;
  is_staff: boolean | number;
  totp_secret: string | null;
  totp_enabled_at: string | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
  last_login_at: string | null;
  deleted_at: string | null;
  /** zh-CN, zh-HK or en; null: not chosen, the default language. */
  locale: string | null;
}

export interface SmsCodesTable {
  id: Generated<number>;
  phone: string;
  purpose: string;
  code_hash: string;
  ip: string;
  attempts: Generated<number>;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionsTable {
  sid_hash: string;
  user_id: number | null;
  data: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Generated<string>;
  expires_at: string;
}

export interface RoleGrantsTable {
  id: Generated<number>;
  user_id: number;
  role: string;
  scope_type: string;
  scope_id: string;
  granted_by: number | null;
  created_at: Generated<string>;
}

export interface AppTokensTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  channel: string;
  name: string;
  created_at: Generated<string>;
  last_used_at: string | null;
  expires_at: string;
}

/** Wrong passwords for one typed number from one client (an IPv4 address or an IPv6 /64). */
export interface LoginFailuresTable {
  phone: string;
  client: string;
  /** Wrong passwords in a row since the last lock. */
  failures: number;
  /** Locks so far: each lasts twice as long as the one before. */
  locks: number;
  locked_until: string | null;
  updated_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: Generated<string>;
}

export interface AdminLogTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  target_user_id: number | null;
  detail: string;
  ip: string | null;
  created_at: Generated<string>;
}

export interface MessagesTable {
  id: Generated<number>;
  board_id: number;
  region_code: string;
  author_id: number;
  type: string;
  domain: string;
  title: string;
  body: string;
  original_sealed: string | null;
  remarks_sealed: string | null;
  location: string | null;
  visibility: string;
  status: string;
  tracking_code: string;
  channel: string;
  flags: string;
  reject_reason: string | null;
  reject_note: string | null;
  duplicate_of: number | null;
  current_unit_id: number | null;
  submitted_at: string;
  review_due_at: string;
  approved_at: string | null;
  closed_at: string | null;
  updated_at: Generated<string>;
  accept_due_at: string | null;
  handle_due_at: string | null;
  extension_days: Generated<number>;
  assigned_by_unit_id: number | null;
  accepted_at: string | null;
  assigned_at: string | null;
  replied_at: string | null;
  rating_due_at: string | null;
  follow_ups: Generated<number>;
  identity_shared: Generated<boolean | number>;
  /** 'urgent' | 'normal': set by the dispatching unit or a supervisor. */
  priority: Generated<string>;
  /** The board's leader asked to sign every reply before it is published. */
  sign_requested: Generated<boolean | number>;
  /** When the editors were told the message waits past its review deadline (set once). */
  review_overdue_at: string | null;
  /** A keyed digest of the network the message was sent from, to spot flooding; never the address itself. */
  client_key: string | null;
  /** Goes up by one with every handling step: a step taken on an older version lost a race (409 CONFLICT). */
  version: Generated<number>;
  /** 1 once a supervision notice exists for it (kept by a trigger on supervisions, migration 0021). */
  supervised: Generated<number>;
  /** The status of its reply waiting for approval or signature, if any (kept by a trigger on replies). */
  waiting_reply: Generated<string | null>;
}

export interface RepliesTable {
  id: Generated<number>;
  message_id: number;
  unit_id: number;
  author_id: number;
  body: string;
  resolved: boolean | number;
  status: string;
  approver_id: number | null;
  signer_id: number | null;
  signer_name: string | null;
  round: number;
  published_at: string | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
  /** Goes up by one with every save or move: a save over a text its writer did not see is refused. */
  version: Generated<number>;
}

export interface RatingsTable {
  id: Generated<number>;
  message_id: number;
  round: number;
  author_id: number;
  resolution: number;
  timeliness: number;
  attitude: number;
  comment: string | null;
  created_at: Generated<string>;
}

export interface ExtensionsTable {
  id: Generated<number>;
  message_id: number;
  unit_id: number;
  requested_by: number;
  days: number;
  reason: string;
  status: string;
  decided_by: number | null;
  decided_at: string | null;
  created_at: Generated<string>;
}

export interface SupervisionsTable {
  id: Generated<number>;
  message_id: number;
  deadline: string;
  due_at: string;
  level: number;
  unit_id: number;
  created_at: Generated<string>;
  /** A hand-issued notice's instruction; empty for the automatic ones. */
  note: Generated<string>;
  /** The supervisor who issued it by hand; null for the automatic ones. */
  issued_by: number | null;
}

/** Counters that triggers move on every change to a group of tables (`reference`: regions, boards, units, rules, settings). */
export interface ChangeCountersTable {
  name: string;
  version: number;
}

export interface WorkingRulesTable {
  region_code: string;
  override: string;
  updated_by: number | null;
  updated_at: Generated<string>;
}

export interface ReplyTemplatesTable {
  id: Generated<number>;
  unit_id: number;
  title: string;
  body: string;
  created_at: Generated<string>;
}

export interface OutboxTable {
  id: Generated<number>;
  channel: string;
  user_id: number | null;
  unit_id: number | null;
  message_id: number | null;
  text: string;
  dedupe_key: string;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  claimed_until: string | null;
  sent_at: string | null;
  last_error: string | null;
  created_at: Generated<string>;
  /** A phone number or e-mail address to send to; null: the user's own, read when the row is sent. */
  recipient: string | null;
  /** The subject of an e-mail row. */
  subject: string | null;
}

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number | null;
  unit_id: number | null;
  message_id: number | null;
  text: string;
  read_at: string | null;
  created_at: Generated<string>;
}

export interface PrivateReadsTable {
  id: Generated<number>;
  message_id: number;
  user_id: number;
  what: string;
  created_at: Generated<string>;
}

export interface MessageAttachmentsTable {
  id: Generated<number>;
  message_id: number;
  storage_key: string;
  media_type: string;
  width: number;
  height: number;
  bytes: number;
  is_public: number;
  position: number;
  created_at: Generated<string>;
}

export interface CaseEventsTable {
  id: Generated<number>;
  message_id: number;
  seq: number;
  kind: string;
  actor_id: number | null;
  actor_unit_id: number | null;
  from_status: string | null;
  to_status: string | null;
  note: string;
  data: string;
  created_at: string;
  /** SHA-256 of the event and the previous event's hash (audit/case-events.ts), as 32 bytes. */
  hash: Buffer;
}

export interface IdempotencyKeysTable {
  user_id: number;
  key: string;
  message_id: number;
  created_at: Generated<string>;
}

/**
 * The searchable text of a message, normalised. Its tokens are in the engine's index: on SQLite the contentless FTS5
 * table `message_fts`; on PostgreSQL a `tokens` column here, under a GIN index (written and read in db/dialect.ts only).
 */
export interface MessageSearchTable {
  message_id: number;
  text: string;
}

export interface CalendarDaysTable {
  /** YYYY-MM-DD on the China calendar. */
  day: string;
  kind: 'holiday' | 'workday';
  name: string;
  imported_at: string;
}

export interface FollowsTable {
  id: Generated<number>;
  user_id: number;
  message_id: number | null;
  board_id: number | null;
  sms: Generated<number>;
  created_at: Generated<string>;
}

export interface MessageFactsTable {
  message_id: number;
  board_id: number;
  unit_id: number;
  region_code: string;
  province_code: string;
  city_code: string | null;
  type: string;
  received_at: string;
  received_day: string;
  expected: number;
  replied_at: string | null;
  due_at: string | null;
  on_time: number | null;
  handling_days: number | null;
  resolved: number;
  overdue: number;
  returned: number;
  reopened: number;
  signed: number;
  rating_resolution: number | null;
  rating_timeliness: number | null;
  rating_attitude: number | null;
}

export interface StatsRollupsTable {
  scope: string;
  month: string;
  received: number;
  expected: number;
  replied: number;
  on_time: number;
  resolved: number;
  overdue: number;
  returned: number;
  reopened: number;
  signed: number;
  rated: number;
  resolution_sum: number;
  timeliness_sum: number;
  attitude_sum: number;
}

export interface StatsHandlingDaysTable {
  scope: string;
  month: string;
  days: number;
  count: number;
}

export interface StatsRunsTable {
  id: string;
  finished_at: Generated<string>;
  detail: string;
}

/** A counter per month ('YYYY-MM') that every change to the month's statistics moves. */
export interface StatsVersionsTable {
  month: string;
  version: number;
}

export interface EvaluationYearsTable {
  year: number;
  config: string;
  run_config: string | null;
  run_at: string | null;
  run_by: number | null;
  confirmed_at: string | null;
  confirmed_by: number | null;
  published_at: string | null;
  published_by: number | null;
  updated_at: Generated<string>;
}

export interface EvaluationUnitResultsTable {
  year: number;
  unit_id: number;
  unit_name: string;
  level: string;
  received: number;
  expected: number;
  replied: number;
  resolved: number;
  ratings: number;
  reply_rate: number | null;
  on_time_rate: number | null;
  satisfaction: number | null;
  resolution_rate: number | null;
  volume_index: number | null;
  score: number | null;
  rank: number | null;
  eligible: boolean | number;
}

export interface EvaluationWorkerResultsTable {
  year: number;
  user_id: number;
  name: string;
  unit_id: number;
  unit_name: string;
  replies: number;
  ratings: number;
  satisfaction: number | null;
  rank: number | null;
  eligible: boolean | number;
}

export interface EvaluationAwardsTable {
  id: Generated<number>;
  year: number;
  kind: string;
  unit_id: number | null;
  user_id: number | null;
  source: string;
  created_at: Generated<string>;
}

export interface EvaluationAwardEditsTable {
  id: Generated<number>;
  year: number;
  kind: string;
  action: string;
  name: string;
  reason: string;
  actor_id: number;
  created_at: Generated<string>;
}

/** Every text an SMS gateway pushed to the platform, stored before it is acted on. */
export interface InboundSmsTable {
  id: Generated<number>;
  provider: string;
  /** The gateway's id of the text (`sequence_id` …), or a digest of it when the gateway gives none. */
  provider_id: string;
  phone: string;
  text: string;
  dest_code: string | null;
  /** The gateway's send time, as it wrote it. */
  sent_at: string | null;
  client_ip: string;
  received_at: string;
  /** received → processing → done | failed */
  status: string;
  claimed_until: string | null;
  outcome: string | null;
  message_id: number | null;
  reply: string | null;
  error: string | null;
  processed_at: string | null;
}

/** Numbers that texted TD / 退订: no notices by SMS to them. */
export interface SmsOptOutsTable {
  phone: string;
  created_at: Generated<string>;
}

export interface Open311KeysTable {
  id: Generated<number>;
  organisation: string;
  key_prefix: string;
  /** SHA-256 (hex) of the whole key; the key itself is shown once and never stored. */
  key_hash: string;
  /** The account that authors the key's requests. */
  user_id: number;
  created_by: number | null;
  created_at: Generated<string>;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface Open311RequestsTable {
  message_id: number;
  key_id: number;
  lat: number | null;
  long: number | null;
  address_string: string | null;
  address_id: string | null;
  device_id: string | null;
  account_id: string | null;
  media_url: string | null;
  created_at: string;
}

export interface EmailAddressesTable {
  user_id: number;
  /** The confirmed address, the only one notices go to. */
  address: string | null;
  verified_at: string | null;
  /** An address waiting for its confirmation link to be followed. */
  pending_address: string | null;
  token_hash: string | null;
  token_expires_at: string | null;
  updated_at: string;
}

/** One person's choice of channels for one kind of notice; absent means the defaults. */
export interface NoticePreferencesTable {
  user_id: number;
  kind: string;
  site: number;
  sms: number;
  email: number;
  updated_at: string;
}

/** A story of the video column 《"帖"近现场》. */
export interface StoriesTable {
  id: Generated<number>;
  title: string;
  summary: string;
  region_code: string;
  transcript: Generated<string>;
  /** none | uploaded | converting | ready | failed */
  video_state: Generated<string>;
  video_job_id: number | null;
  video_error: string | null;
  /** The name of the uploaded file, as the editor's computer called it. */
  video_name: string | null;
  video_key: string | null;
  poster_key: string | null;
  video_bytes: number | null;
  video_seconds: number | null;
  video_width: number | null;
  video_height: number | null;
  captions_key: string | null;
  captions_name: string | null;
  created_by: number;
  updated_by: number;
  created_at: Generated<string>;
  updated_at: Generated<string>;
  published_at: string | null;
  published_by: number | null;
}

export interface StoryMessagesTable {
  story_id: number;
  message_id: number;
  position: number;
}

/** A video conversion waiting for, or done by, a worker. */
export interface StoryVideoJobsTable {
  id: Generated<number>;
  story_id: number;
  source_key: string;
  source_seconds: number;
  /** queued | running | done | failed | cancelled */
  status: string;
  attempts: Generated<number>;
  worker: string | null;
  lease_until: string | null;
  progress: Generated<number>;
  error: string | null;
  created_at: Generated<string>;
  started_at: string | null;
  finished_at: string | null;
}

/** A news item, announcement or conference report, written by an editor in Markdown. */
export interface ArticlesTable {
  id: Generated<number>;
  /** news | announcement | conference */
  category: string;
  title: string;
  summary: Generated<string>;
  /** Markdown; rendered and sanitised for the page. */
  body: string;
  conference_year: number | null;
  /** draft | published | withdrawn */
  status: Generated<string>;
  published_at: string | null;
  author_id: number | null;
  updated_by: number | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface ArticleImagesTable {
  id: Generated<number>;
  article_id: number;
  storage_key: string;
  media_type: string;
  width: number;
  height: number;
  bytes: number;
  uploaded_by: number | null;
  created_at: Generated<string>;
}

/** One holder's term on a board: `since` null when not recorded, `until` null for the current holder. */
export interface BoardHoldersTable {
  id: Generated<number>;
  board_id: number;
  name: string;
  /** The board's title when the term began (县长, 市委书记 …). */
  post: string;
  since: string | null;
  until: string | null;
  created_at: Generated<string>;
}

/** A public solicitation (征集); each phase runs from its start (inclusive) to its end (exclusive). */
export interface SolicitationsTable {
  id: Generated<number>;
  title: string;
  rules: string;
  entries_per_user: number;
  votes_per_user: number;
  entries_start_at: string;
  entries_end_at: string;
  review_start_at: string;
  review_end_at: string;
  voting_start_at: string;
  voting_end_at: string;
  results_start_at: string;
  results_end_at: string;
  announcement: string | null;
  announced_at: string | null;
  created_by: number | null;
  created_at: Generated<string>;
  updated_at: Generated<string>;
}

export interface SolicitationEntriesTable {
  id: Generated<number>;
  solicitation_id: number;
  author_id: number;
  title: string;
  body: string;
  /** nickname | tag */
  credit: string;
  /** submitted | approved | refused */
  status: string;
  /** JSON: { personalData: string[], sensitiveWords: string[] } */
  flags: string;
  refuse_reason: string | null;
  reviewed_by: number | null;
  reviewed_at: string | null;
  rank: number | null;
  prize: string | null;
  client_key: string | null;
  submitted_at: string;
}

export interface SolicitationParticipantsTable {
  solicitation_id: number;
  user_id: number;
  entries_used: Generated<number>;
  votes_used: Generated<number>;
}

export interface SolicitationVotesTable {
  id: Generated<number>;
  solicitation_id: number;
  entry_id: number;
  user_id: number;
  /** A keyed digest of the voter's network, never the address itself. */
  client_key: string | null;
  flag_burst: Generated<boolean | number>;
  flag_new_account: Generated<boolean | number>;
  voided_at: string | null;
  voided_by: number | null;
  void_reason: string | null;
  created_at: string;
}

export interface Database {
  regions: RegionsTable;
  handling_units: HandlingUnitsTable;
  boards: BoardsTable;
  users: UsersTable;
  sms_codes: SmsCodesTable;
  sessions: SessionsTable;
  role_grants: RoleGrantsTable;
  app_tokens: AppTokensTable;
  login_failures: LoginFailuresTable;
  settings: SettingsTable;
  admin_log: AdminLogTable;
  messages: MessagesTable;
  message_attachments: MessageAttachmentsTable;
  case_events: CaseEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  replies: RepliesTable;
  ratings: RatingsTable;
  extensions: ExtensionsTable;
  supervisions: SupervisionsTable;
  working_rules: WorkingRulesTable;
  reply_templates: ReplyTemplatesTable;
  outbox: OutboxTable;
  notifications: NotificationsTable;
  private_reads: PrivateReadsTable;
  message_search: MessageSearchTable;
  follows: FollowsTable;
  calendar_days: CalendarDaysTable;
  message_facts: MessageFactsTable;
  stats_rollups: StatsRollupsTable;
  stats_handling_days: StatsHandlingDaysTable;
  stats_runs: StatsRunsTable;
  stats_versions: StatsVersionsTable;
  evaluation_years: EvaluationYearsTable;
  evaluation_unit_results: EvaluationUnitResultsTable;
  evaluation_worker_results: EvaluationWorkerResultsTable;
  evaluation_awards: EvaluationAwardsTable;
  evaluation_award_edits: EvaluationAwardEditsTable;
  inbound_sms: InboundSmsTable;
  sms_opt_outs: SmsOptOutsTable;
  open311_keys: Open311KeysTable;
  open311_requests: Open311RequestsTable;
  email_addresses: EmailAddressesTable;
  notice_preferences: NoticePreferencesTable;
  stories: StoriesTable;
  story_messages: StoryMessagesTable;
  story_video_jobs: StoryVideoJobsTable;
  articles: ArticlesTable;
  article_images: ArticleImagesTable;
  board_holders: BoardHoldersTable;
  solicitations: SolicitationsTable;
  solicitation_entries: SolicitationEntriesTable;
  solicitation_participants: SolicitationParticipantsTable;
  solicitation_votes: SolicitationVotesTable;
  change_counters: ChangeCountersTable;
}
