import { Module } from '@nestjs/common';

/** Filled in by its issue; registered in AppModule already so parallel work does not collide there. */
@Module({})
export class ExportsModule {}
