import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { accessLogPathOf, type Environment } from '../config/environment';
import { ENVIRONMENT } from '../config/tokens';
import { ProjectionsApiModule } from '../projections/projections.module';
import { AccessController } from './access.controller';
import { AccessLog } from './access-log';
import { ACCESS_LOG, ChildRecordAccess } from './child-record-access';

@Injectable()
class AccessLogLifecycle implements OnApplicationShutdown {
  constructor(@Inject(ACCESS_LOG) private readonly log: AccessLog) {}

  /** After the HTTP server stopped taking requests: no read is left half-recorded. */
  onApplicationShutdown(): void {
    this.log.close();
  }
}

/**
 * Need to know and the access log for every read of a child's record, and the auditors' query
 * over the log (GET /v1/audit/access). Global: the routes that read children use ChildRecordAccess.
 */
@Global()
@Module({
  imports: [ProjectionsApiModule],
  controllers: [AccessController],
  providers: [
    {
      provide: ACCESS_LOG,
      inject: [ENVIRONMENT],
      useFactory: (env: Environment) => AccessLog.open({ path: accessLogPathOf(env) }),
    },
    AccessLogLifecycle,
    ChildRecordAccess,
  ],
  exports: [ACCESS_LOG, ChildRecordAccess],
})
export class AccessModule {}
