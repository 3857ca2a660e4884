CREATE TABLE `request_logs` (
	`id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`pool` text,
	`endpoint` text NOT NULL,
	`initial_time` integer NOT NULL,
	`first_token_time` integer,
	`complete_time` integer,
	`duration_ms` integer DEFAULT 0 NOT NULL,
	`first_token_duration_ms` integer,
	`http_status` integer DEFAULT 0 NOT NULL,
	`model` text,
	`mapped_model` text,
	`response_model` text,
	`reasoning_effort` text,
	`channel_uid` text,
	`channel_name` text,
	`provider_name` text,
	`type` text,
	`masked_key` text,
	`stream` integer DEFAULT false NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cache_creation_input_tokens` integer DEFAULT 0 NOT NULL,
	`cache_creation_5m_input_tokens` integer,
	`cache_creation_1h_input_tokens` integer,
	`cache_read_input_tokens` integer DEFAULT 0 NOT NULL,
	`reasoning_tokens` integer DEFAULT 0 NOT NULL,
	`usage_estimated` integer DEFAULT false NOT NULL,
	`price` real DEFAULT 0 NOT NULL,
	`input_cost` real DEFAULT 0 NOT NULL,
	`output_cost` real DEFAULT 0 NOT NULL,
	`cache_creation_cost` real DEFAULT 0 NOT NULL,
	`cache_read_cost` real DEFAULT 0 NOT NULL,
	`client_id` text,
	`session_id` text,
	`user_agent` text,
	`observe_only` integer DEFAULT false NOT NULL,
	`error` text,
	`upstream_error` text,
	`failover_info` text,
	`attempts` text DEFAULT '[]' NOT NULL,
	`request_body` text,
	`response_body` text
);
--> statement-breakpoint
CREATE INDEX `request_logs_initial_time` ON `request_logs` (`initial_time`);--> statement-breakpoint
CREATE INDEX `request_logs_client_time` ON `request_logs` (`client_id`,`session_id`,`initial_time`);--> statement-breakpoint
CREATE TABLE `response_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`previous_response_id` text,
	`channel_id` text NOT NULL,
	`model` text NOT NULL,
	`input` text NOT NULL,
	`response` text NOT NULL,
	`conversation_bytes` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `response_sessions_conversation` ON `response_sessions` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `response_sessions_expires` ON `response_sessions` (`expires_at`);