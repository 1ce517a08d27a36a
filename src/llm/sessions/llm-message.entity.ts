import { Entity, Index } from 'typeorm';
import { Columns } from '../../database/column.decorator';

/** One turn of a session, as sent to the model: tool results are stored redacted and capped. */
@Entity('llm_message')
@Index('idx_llm_message_session_seq', ['sessionId', 'seq'])
export class LlmMessage {
  @Columns.uuidPrimary() id: string;
  @Columns.varchar(36, { name: 'session_id' }) sessionId: string;
  @Columns.integer() seq: number;
  @Columns.varchar(16) role: 'user' | 'assistant' | 'tool';
  @Columns.text() content: string;

  /** JSON of the assistant's tool calls (id, name, arguments). */
  @Columns.text({ name: 'tool_calls', nullable: true }) toolCalls: string | null;

  @Columns.varchar(128, { name: 'tool_call_id', nullable: true }) toolCallId: string | null;
  @Columns.varchar(64, { name: 'tool_name', nullable: true }) toolName: string | null;
  @Columns.createdAt() createdAt: string;
}
