import './pack';
