import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { TABLES, tableEnvVar, type TableDef } from '../functions/adapters/dynamodb/tables.js';

export type TableId = TableDef['id'];

/** A deployed table together with its definition, so binders can check index names and env vars. */
export interface SupportTable {
  readonly def: TableDef;
  readonly table: ITable;
}

export interface DataStackProps extends StackProps {
  /** Stage name; used in descriptions only (table names are generated so stacks never collide). */
  readonly stage: string;
}

/**
 * The stateful half: the DynamoDB tables, built from TABLES (the same description the local server
 * and the adapters read). Kept in its own stack so the voice stack can be destroyed and redeployed
 * freely: tables are retained on stack deletion, deletion-protected and point-in-time recoverable.
 *
 * Encryption uses the AWS-managed key (aws/dynamodb): encrypted at rest with key use visible in
 * CloudTrail, without a customer key's monthly fee or the per-function kms grants it would need.
 */
export class DataStack extends Stack {
  readonly tables: Readonly<Record<TableId, SupportTable>>;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const tables = {} as Record<TableId, SupportTable>;
    for (const def of TABLES) {
      const table = new Table(this, `${capitalize(def.id)}Table`, {
        partitionKey: { name: def.partitionKey, type: AttributeType.STRING },
        sortKey: { name: def.sortKey, type: AttributeType.STRING },
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        encryption: TableEncryption.AWS_MANAGED,
        ...(def.ttlAttribute && { timeToLiveAttribute: def.ttlAttribute }),
      });
      for (const index of def.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
          ...(index.sortKey && { sortKey: { name: index.sortKey, type: AttributeType.STRING } }),
        });
      }
      tables[def.id] = { def, table };
      // The operator needs the generated name to load the data file: TABLE_DIRECTORY=<name> npm run data:load.
      new CfnOutput(this, `${capitalize(def.id)}TableName`, {
        value: table.tableName,
        description: `${tableEnvVar(def.id)} for ${props.stage} (npm run data:load, local tools)`,
      });
    }
    this.tables = tables;
  }
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
