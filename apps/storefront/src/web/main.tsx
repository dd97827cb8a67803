import { render } from 'preact';
import { App } from './app.component';
import './styles.css';

render(<App />, document.getElementById('app') as HTMLElement);
