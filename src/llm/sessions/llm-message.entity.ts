import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One turn of a session, as sent to the model: tool results are stored redacted and capped. */
@Entity('llm_message')
@Index('idx_llm_message_session_seq', ['sessionId', 'seq'])
export class LlmMessage {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'session_id', type: 'varchar', length: 36 })
  sessionId: string;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'varchar', length: 16 })
  role: 'user' | 'assistant' | 'tool';

  @Column({ type: 'text' })
  content: string;

  /** JSON of the assistant's tool calls (id, name, arguments). */
  @Column({ name: 'tool_calls', type: 'text', nullable: true })
  toolCalls: string | null;

  @Column({ name: 'tool_call_id', type: 'varchar', length: 128, nullable: true })
  toolCallId: string | null;

  @Column({ name: 'tool_name', type: 'varchar', length: 64, nullable: true })
  toolName: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}
