import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { CARE_LEAVER_ACCOMMODATION, type CareLeaverAccommodation } from '@placement/domain';
import { Roles } from '../auth/roles';
import { CommandOnBus, CommandRoute, type CommandResult, Sender, type CommandSender } from '../commands/command';
import { IsBusinessDate } from '../http/dto-rules';
import { IdParam } from '../http/id-param';
import { ApiCommand } from '../http/openapi';
import { ChildHandler } from './child-command';

/** A care leaver's accommodation from a date (today or earlier, on or after care ceased). */
export class RecordCareLeaverDto {
  @ApiProperty({
    enum: CARE_LEAVER_ACCOMMODATION,
    description:
      'staying-put (with the former foster carer), supported-16-plus (16+ supported accommodation), independent, other',
    example: 'staying-put',
  })
  @IsIn(CARE_LEAVER_ACCOMMODATION)
  accommodation!: CareLeaverAccommodation;

  @IsBusinessDate()
  from!: string;
}

export class RecordCareLeaverCommand extends CommandOnBus<RecordCareLeaverDto & { childId: string }> {}

@ApiTags('children')
@ApiBearerAuth()
@Controller('v1/children')
export class RecordCareLeaverRoute extends CommandRoute {
  /**
   * A care leaver's accommodation from a date: a young person who ceased care at 18 or over, or at
   * 16–17 to independent living (REC E5, E6). Staying put and 16+ supported accommodation are counted in the trends.
   */
  @Post(':id/care-leaver')
  @ApiCommand(
    "Record a care leaver's accommodation (staying put, 16+ supported, independent, other) from a date",
    {
      422: ['NOT_A_CARE_LEAVER', 'INVALID_DATES', 'DATE_IN_FUTURE', 'INVALID_INPUT'],
    },
    'recordCareLeaver',
  )
  @HttpCode(201)
  @Roles('placement-officer', 'admin')
  careLeaver(
    @IdParam('id') childId: string,
    @Body() body: RecordCareLeaverDto,
    @Sender() sender: CommandSender,
  ): Promise<CommandResult> {
    return this.send(
      RecordCareLeaverCommand,
      { ...body, childId },
      sender,
      `care-leaver:${childId}:${body.accommodation}:${body.from}`,
    );
  }
}

/** A care leaver's accommodation from a date (CareLeaverRecorded): the trends count staying put and 16+ supported. */
@CommandHandler(RecordCareLeaverCommand)
export class RecordCareLeaverHandler extends ChildHandler<RecordCareLeaverCommand> {
  execute({ body, ctx }: RecordCareLeaverCommand): Promise<CommandResult> {
    const { childId, accommodation, from } = body;
    return this.onRegisteredChild(
      childId,
      { type: 'RecordCareLeaver', data: { childId, accommodation, from }, at: ctx.at },
      ctx,
    );
  }
}
