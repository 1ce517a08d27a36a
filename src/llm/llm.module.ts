import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChangesModule } from '../changes/changes.module';
import { DiagnosticsModule } from '../diagnostics/diagnostics.module';
import { HealthModule } from '../health/health.module';
import { IstioGatewayModule } from '../istio-gateway/istio-gateway.module';
import { K8sResourcesModule } from '../k8s-resources/k8s-resources.module';
import { OverviewModule } from '../overview/overview.module';
import { ChatService } from './chat.service';
import { ExplainController } from './explain/explain.controller';
import { ExplainService } from './explain/explain.service';
import { FindingSource } from './explain/finding-source';
import { LlmClient } from './llm-client';
import { LlmMetrics } from './llm-metrics';
import { LlmProposal } from './proposals/llm-proposal.entity';
import { ProposalExecutor } from './proposals/proposal-executor';
import { ProposalService } from './proposals/proposal.service';
import { ProposalsController } from './proposals.controller';
import { RollbackProposals } from './proposals/rollback-proposals';
import { RollbackController } from './rollback.controller';
import { LlmMessage } from './sessions/llm-message.entity';
import { LlmSession } from './sessions/llm-session.entity';
import { SessionService } from './sessions/session.service';
import { SessionsController } from './sessions.controller';
import { ToolDepsSource } from './tools/tool-deps';
import { ToolRunner } from './tools/tool-runner';

/**
 * LLM: the assistant (sessions, streamed investigations over the read tools), proposals an
 * operator approves, and explanations of findings. Works, and answers 503 LLM_NOT_CONFIGURED,
 * without any provider configured.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([LlmSession, LlmMessage, LlmProposal]),
    HealthModule,
    K8sResourcesModule,
    OverviewModule,
    IstioGatewayModule,
    DiagnosticsModule,
    ChangesModule,
  ],
  controllers: [SessionsController, ProposalsController, ExplainController, RollbackController],
  providers: [
    LlmClient,
    LlmMetrics,
    ToolRunner,
    ToolDepsSource,
    SessionService,
    ChatService,
    ProposalService,
    ProposalExecutor,
    RollbackProposals,
    ExplainService,
    FindingSource,
  ],
  exports: [ToolRunner, ToolDepsSource],
})
export class LlmModule {}
