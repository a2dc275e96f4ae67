import { bucketScript } from '../../components/storage/seaweedfs';
import * as fs from 'fs';
test('gen', () => { fs.writeFileSync('/tmp/sw/script.sh', bucketScript(['platform-warehouse', 'platform-landing'], '')); fs.writeFileSync('/tmp/sw/script-eu.sh', bucketScript(['platform-warehouse'], ' --create-bucket-configuration LocationConstraint=eu-central-1')); });
